namespace Platform.FeedSimulator.Catalogue;

/// <summary>
/// One stone in 32 bytes. Everything textual is an index into <see cref="StoneVocabulary"/>,
/// and the id, offer id, URLs and createdAt are derived from the stone's position, so a
/// million stones cost about 32 MB.
/// </summary>
internal readonly record struct StoneRecord(
    long UpdatedAtTicks,
    int PriceCents,
    int CertificateNumber,
    ushort CaratHundredths,
    byte Shape,
    byte Color,
    byte Clarity,
    byte Cut,
    byte Polish,
    byte Symmetry,
    byte Fluorescence,
    byte Lab,
    byte Supplier,
    byte Availability,
    bool LabGrown);
