namespace Platform.FeedSimulator.Catalogue;

/// <summary>A validated change "between runs": which share of stones, chosen by which seed, and what changes.</summary>
internal sealed record CatalogueMutation(double Fraction, int Seed, bool ChangesPrice, bool ChangesAvailability);

/// <summary>What a mutation did, in index order.</summary>
internal sealed record MutationOutcome(int Changed, IReadOnlyList<int> ChangedIndices, long Generation);
