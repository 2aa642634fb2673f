using Platform.Domain.Tenancy;

namespace Platform.UnitTests.Tenancy;

public sealed class ApiKeyTokenTests
{
    [Fact]
    public void Generated_keys_have_the_type_prefix_the_length_and_a_valid_checksum()
    {
        var key = ApiKeyToken.Generate();

        key.ShouldStartWith("plat_");
        key.Length.ShouldBe(ApiKeyToken.Length);
        ApiKeyToken.IsWellFormed(key).ShouldBeTrue();
    }

    [Fact]
    public void Generated_keys_differ()
    {
        var keys = Enumerable.Range(0, 1000).Select(_ => ApiKeyToken.Generate()).ToHashSet();

        keys.Count.ShouldBe(1000);
    }

    [Fact]
    public void Changing_any_character_breaks_the_checksum()
    {
        var key = ApiKeyToken.Generate();
        for (var i = ApiKeyToken.Prefix.Length; i < key.Length; i++)
        {
            var chars = key.ToCharArray();
            chars[i] = chars[i] == 'a' ? 'b' : 'a';

            ApiKeyToken.IsWellFormed(new string(chars)).ShouldBeFalse($"position {i}");
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("plat_")]
    [InlineData("ghp_0123456789012345678901234567890123456789")]
    [InlineData("plat_01234567890123456789012345678901234567-")]
    public void Other_strings_are_not_well_formed(string? text)
    {
        ApiKeyToken.IsWellFormed(text).ShouldBeFalse();
    }

    [Fact]
    public void Hash_is_sha256_and_display_parts_reveal_little()
    {
        var key = ApiKeyToken.Generate();

        ApiKeyToken.Hash(key).Length.ShouldBe(32);
        ApiKeyToken.Hash(key).ShouldBe(ApiKeyToken.Hash(key));
        ApiKeyToken.DisplayPrefix(key).ShouldBe(key[..9]);
        ApiKeyToken.LastFour(key).ShouldBe(key[^4..]);
    }

    [Fact]
    public void Scopes_know_the_organization_and_operator_scopes_only()
    {
        Scopes.Organization.ShouldAllBe(s => Scopes.IsKnown(s));
        Scopes.IsKnown(Scopes.PlatformAdmin).ShouldBeTrue();
        Scopes.IsKnown("catalog:delete").ShouldBeFalse();
    }
}
