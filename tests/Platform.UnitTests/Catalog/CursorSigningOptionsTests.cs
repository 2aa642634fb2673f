using System.Security.Cryptography;
using Platform.Domain.Catalog.Paging;

namespace Platform.UnitTests.Catalog;

public sealed class CursorSigningOptionsTests
{
    private static readonly string GoodKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void A_random_32_byte_key_is_valid_everywhere()
    {
        new CursorSigningOptions { SigningKey = GoodKey, PreviousSigningKeys = [GoodKey] }.Validate(isDevelopment: false).ShouldBeEmpty();
    }

    [Fact]
    public void Outside_development_the_key_is_required_and_must_not_be_the_public_development_key()
    {
        new CursorSigningOptions().Validate(isDevelopment: false).ShouldHaveSingleItem().ShouldContain("Catalog:Cursor:SigningKey");
        new CursorSigningOptions { SigningKey = CursorSigningOptions.DevelopmentSigningKey }.Validate(isDevelopment: false)
            .ShouldHaveSingleItem().ShouldContain("development key");
        new CursorSigningOptions { SigningKey = CursorSigningOptions.DevelopmentSigningKey }.Validate(isDevelopment: true).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void A_short_or_malformed_key_names_the_setting(string key)
    {
        new CursorSigningOptions { SigningKey = GoodKey, PreviousSigningKeys = [key] }.Validate(isDevelopment: true)
            .ShouldHaveSingleItem().ShouldContain("Catalog:Cursor:PreviousSigningKeys:0");
    }

    [Fact]
    public void Decoded_keys_list_the_signing_key_first()
    {
        var previous = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

        var keys = new CursorSigningOptions { SigningKey = GoodKey, PreviousSigningKeys = [previous] }.DecodedKeys();

        keys.Select(Convert.ToBase64String).ShouldBe([GoodKey, previous]);
    }
}
