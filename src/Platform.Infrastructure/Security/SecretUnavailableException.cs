namespace Platform.Infrastructure.Security;

/// <summary>A stored secret that cannot be decrypted; the message never contains the secret or the key.</summary>
public sealed class SecretUnavailableException(string message) : Exception(message);
