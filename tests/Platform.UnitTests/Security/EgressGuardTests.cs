using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Security.Egress;

namespace Platform.UnitTests.Security;

/// <summary>The SSRF guard (ADR 0034): which addresses are refused, the URL check at creation and the connect-time check.</summary>
public sealed class EgressGuardTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.10.1", "private")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("100.127.255.254", "carrier-grade NAT")]
    [InlineData("0.0.0.0", "this network")]
    [InlineData("0.1.2.3", "this network")]
    [InlineData("224.0.0.251", "multicast")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("fc00::1", "unique local")]
    [InlineData("fd12:3456::1", "unique local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:169.254.169.254", "link-local")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("64:ff9b::a9fe:a9fe", "link-local")]
    [InlineData("::127.0.0.1", "loopback")]
    public void Non_public_addresses_are_refused_with_their_reason(string address, string reason) =>
        EgressAddresses.BlockReason(IPAddress.Parse(address)).ShouldNotBeNull().ShouldContain(reason);

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("172.32.0.1")] // just past 172.16.0.0/12
    [InlineData("100.128.0.1")] // just past 100.64.0.0/10
    [InlineData("169.255.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    public void Public_unicast_addresses_pass(string address) =>
        EgressAddresses.BlockReason(IPAddress.Parse(address)).ShouldBeNull();

    [Theory]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://localhost:8443/hook")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://[::ffff:127.0.0.1]/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://2130706433/")] // 127.0.0.1 as one decimal number
    [InlineData("https://0177.0.0.1/")] // octal-looking
    [InlineData("https://0x7f.0.0.1/")] // hex-looking
    [InlineData("https://10.0.0.5/")]
    [InlineData("https://[fd00::5]/")]
    [InlineData("http://example.com/")] // plain http when it is not allowed
    [InlineData("https://user:secret@example.com/")] // user info
    [InlineData("ftp://example.com/")]
    public async Task Urls_to_blocked_hosts_or_with_a_wrong_shape_are_refused(string url)
    {
        var guard = Guard(new EgressOptions { AllowPrivateNetworks = false, AllowHttp = false });

        (await guard.CheckUrlAsync(new Uri(url), Ct)).ShouldNotBeNull();
    }

    [Theory]
    [InlineData("https://8.8.8.8/hook")]
    [InlineData("https://[2606:4700:4700::1111]/hook")]
    [InlineData("https://name-that-does-not-resolve.invalid/hook")] // left to the connect-time check
    public async Task Public_https_urls_pass(string url) =>
        (await Guard(new EgressOptions { AllowPrivateNetworks = false, AllowHttp = false }).CheckUrlAsync(new Uri(url), Ct)).ShouldBeNull();

    [Fact]
    public async Task Allowed_hosts_and_the_private_network_switch_lift_the_address_check_but_not_the_scheme_rule()
    {
        var allowList = Guard(new EgressOptions { AllowPrivateNetworks = false, AllowHttp = false, AllowedHosts = ["LOCALHOST"] });
        (await allowList.CheckUrlAsync(new Uri("https://localhost/hook"), Ct)).ShouldBeNull();
        (await allowList.CheckUrlAsync(new Uri("http://localhost/hook"), Ct)).ShouldNotBeNull();
        (await allowList.CheckUrlAsync(new Uri("https://127.0.0.1/hook"), Ct)).ShouldNotBeNull();

        var open = Guard(new EgressOptions { AllowPrivateNetworks = true, AllowHttp = true });
        (await open.CheckUrlAsync(new Uri("http://127.0.0.1:5090/"), Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task The_connect_callback_refuses_a_name_resolving_to_loopback_and_connects_when_private_networks_are_allowed()
    {
        // A real listener on 127.0.0.1: the refusal must come from the guard, not from a closed port.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = AnswerOnceAsync(listener);

        using (var blocked = new HttpClient(Guard(new EgressOptions { AllowPrivateNetworks = false, AllowHttp = true }).CreateHandler()))
        {
            var refused = await Should.ThrowAsync<HttpRequestException>(() => blocked.GetAsync($"http://localhost:{port}/", Ct));
            refused.InnerException.ShouldBeOfType<EgressRefusedException>().Message.ShouldContain("loopback");
            refused.HttpRequestError.ShouldBe(HttpRequestError.ConnectionError);
            listener.Pending().ShouldBeFalse("the guard must refuse before connecting");
        }

        using var allowed = new HttpClient(Guard(new EgressOptions { AllowPrivateNetworks = true, AllowHttp = true }).CreateHandler());
        using var response = await allowed.GetAsync($"http://localhost:{port}/", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await server;
    }

    [Fact]
    public void Allow_list_entries_must_be_plain_host_names()
    {
        var validator = new EgressOptionsValidator();
        validator.Validate(null, new EgressOptions { AllowedHosts = ["feeds.partner.example", "10.0.0.7"] }).Succeeded.ShouldBeTrue();
        validator.Validate(null, new EgressOptions { AllowedHosts = ["https://feeds.partner.example"] }).Failed.ShouldBeTrue();
        validator.Validate(null, new EgressOptions { AllowedHosts = ["*.partner.example"] }).Failed.ShouldBeTrue();
        validator.Validate(null, new EgressOptions { AllowedHosts = [" "] }).Failed.ShouldBeTrue();
    }

    private static EgressGuard Guard(EgressOptions options) => new(Options.Create(options), environment: null);

    private static async Task AnswerOnceAsync(TcpListener listener)
    {
        using var client = await listener.AcceptTcpClientAsync(Ct);
        var stream = client.GetStream();
        var buffer = new byte[4096];
        var read = 0;
        while (!System.Text.Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            read += await stream.ReadAsync(buffer.AsMemory(read), Ct);
        }
        await stream.WriteAsync("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), Ct);
    }
}
