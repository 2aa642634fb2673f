using Platform.Infrastructure.Operations.ErrorLog;

namespace Platform.IntegrationTests.Operations;

/// <summary>What makes two errors the same fingerprint: everything but numbers, ids and whitespace.</summary>
public sealed class ErrorFingerprintTests
{
    [Fact]
    public void Numbers_uuids_and_long_hex_are_stripped_before_hashing()
    {
        // A 32-digit trace id has a uuid's length: it counts as an id; other long hex (hashes, tokens) as hex.
        ErrorFingerprint.Normalize("Page 30 of run 0197a3b4-0000-7000-8000-000000000001 failed after 1.5 s (trace 4bf92f3577b34da6a3ce929d0e0e4736)")
            .ShouldBe("Page <n> of run <id> failed after <n> s (trace <id>)");
        ErrorFingerprint.Normalize("etag 0123456789abcdef0123 refused").ShouldBe("etag <hex> refused");
        ErrorFingerprint.Of("worker", "page", "PAGE_FETCH_FAILED", "HTTP 500 at offset 30")
            .ShouldBe(ErrorFingerprint.Of("worker", "page", "PAGE_FETCH_FAILED", "HTTP 503 at offset   60"));
    }

    [Fact]
    public void Service_category_code_and_words_each_separate_fingerprints()
    {
        var fingerprint = ErrorFingerprint.Of("worker", "page", "PAGE_FETCH_FAILED", "timeout");
        fingerprint.ShouldNotBe(ErrorFingerprint.Of("api", "page", "PAGE_FETCH_FAILED", "timeout"));
        fingerprint.ShouldNotBe(ErrorFingerprint.Of("worker", "upstream", "PAGE_FETCH_FAILED", "timeout"));
        fingerprint.ShouldNotBe(ErrorFingerprint.Of("worker", "page", "UPSTREAM_FAILED", "timeout"));
        fingerprint.ShouldNotBe(ErrorFingerprint.Of("worker", "page", "PAGE_FETCH_FAILED", "refused"));
        fingerprint.Length.ShouldBe(32);
    }
}
