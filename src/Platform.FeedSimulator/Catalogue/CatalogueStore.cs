namespace Platform.FeedSimulator.Catalogue;

/// <summary>Owns the current catalogue snapshot; mutations and resets swap it atomically.</summary>
internal sealed class CatalogueStore
{
    private readonly CatalogueSnapshot pristine;
    private readonly TimeProvider timeProvider;
    private readonly Lock writeLock = new();
    private CatalogueSnapshot current;

    public CatalogueStore(IOptions<CatalogueOptions> options, TimeProvider timeProvider)
    {
        var settings = options.Value;
        this.timeProvider = timeProvider;
        pristine = CatalogueSnapshot.Create(settings.Seed, CatalogueGenerator.Generate(settings.Seed, settings.Size), generation: 0);
        current = pristine;
    }

    public CatalogueSnapshot Current => Volatile.Read(ref current);

    public MutationOutcome Mutate(CatalogueMutation mutation)
    {
        lock (writeLock)
        {
            var before = current;
            var (stones, changed) = CatalogueMutator.Apply(before.Stones, mutation, timeProvider.GetUtcNow());
            var next = before.WithStones(stones, before.Generation + 1, pricesChanged: mutation.ChangesPrice);
            Volatile.Write(ref current, next);
            return new MutationOutcome(changed.Count, changed, next.Generation);
        }
    }

    /// <summary>Back to the generated catalogue, under a new generation so clients see that it changed.</summary>
    public long Reset()
    {
        lock (writeLock)
        {
            var next = pristine.WithStones(pristine.Stones, current.Generation + 1, pricesChanged: false);
            Volatile.Write(ref current, next);
            return next.Generation;
        }
    }
}
