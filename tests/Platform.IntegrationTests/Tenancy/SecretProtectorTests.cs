using Microsoft.Extensions.Options;
using Platform.Infrastructure.Security;

namespace Platform.IntegrationTests.Tenancy;

/// <summary>AES-256-GCM secrets at rest: key ids make rotation possible, the purpose binds a value to its row, tampering is detected.</summary>
public sealed class SecretProtectorTests
{
    private static readonly string OldKey = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
    private static readonly string NewKey = Convert.ToBase64String(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());

    private static SecretProtector Protector(string key, string keyId, Dictionary<string, string>? previous = null) =>
        new(Options.Create(new SecretsOptions { EncryptionKey = key, KeyId = keyId, PreviousKeys = previous ?? [] }));

    [Fact]
    public void After_a_rotation_old_values_still_decrypt_and_new_ones_use_the_new_key()
    {
        var before = Protector(OldKey, "2026-01").Protect("supplier password", "feeds.credentials:1");

        var rotated = Protector(NewKey, "2026-06", new() { ["2026-01"] = OldKey });

        rotated.Unprotect(before, "feeds.credentials:1").ShouldBe("supplier password");
        rotated.IsCurrent(before).ShouldBeFalse();
        var after = rotated.Protect("supplier password", "feeds.credentials:1");
        SecretProtector.KeyIdOf(after).ShouldBe("2026-06");
        rotated.IsCurrent(after).ShouldBeTrue();
        // Once the old key is dropped, old values fail with a message naming the key, never the secret.
        var failure = Should.Throw<SecretUnavailableException>(() => Protector(NewKey, "2026-06").Unprotect(before, "feeds.credentials:1"));
        failure.Message.ShouldContain("'2026-01'");
        failure.Message.ShouldNotContain("supplier password");
    }

    [Fact]
    public void A_value_decrypts_only_for_its_purpose_and_only_untampered()
    {
        var protector = Protector(OldKey, "k1");
        var value = protector.Protect("s3cret", "feeds.credentials:a");

        Should.Throw<SecretUnavailableException>(() => protector.Unprotect(value, "feeds.credentials:b"));
        var tampered = (byte[])value.Clone();
        tampered[^1] ^= 1;
        Should.Throw<SecretUnavailableException>(() => protector.Unprotect(tampered, "feeds.credentials:a"));
        Should.Throw<SecretUnavailableException>(() => protector.Unprotect(value.AsSpan(0, 10), "feeds.credentials:a"));
        Should.Throw<SecretUnavailableException>(() => protector.Unprotect([9, 1, 65], "feeds.credentials:a"));
        // Same plaintext twice: different nonces, different ciphertexts.
        protector.Protect("s3cret", "feeds.credentials:a").ShouldNotBe(value);
        protector.Unprotect(value, "feeds.credentials:a").ShouldBe("s3cret");
    }
}
