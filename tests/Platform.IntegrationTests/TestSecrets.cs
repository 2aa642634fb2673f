using System.Runtime.CompilerServices;

namespace Platform.IntegrationTests;

/// <summary>
/// The secrets-at-rest key every host of this test run uses. The api and the worker refuse to start without
/// <c>Secrets:EncryptionKey</c> outside Development; setting it as an environment variable once covers in-process
/// hosts (WebApplicationFactory reads environment variables) and child processes (they inherit them) alike.
/// A test that needs another key or none overrides it with a setting.
/// </summary>
internal static class TestSecrets
{
    /// <summary>Base64 of 32 fixed bytes: a test key, published here on purpose.</summary>
    public const string EncryptionKey = "dGVzdC1vbmx5LXNlY3JldHMta2V5LTMyLWJ5dGVzISE=";

    public const string KeyId = "test1";

    [ModuleInitializer]
    internal static void Configure()
    {
        Environment.SetEnvironmentVariable("Secrets__EncryptionKey", EncryptionKey);
        Environment.SetEnvironmentVariable("Secrets__KeyId", KeyId);
    }
}
