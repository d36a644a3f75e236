using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Trellis.Cli.Tests.Network;
using NodeFileConfig = Trellis.Node.NodeConfig;

namespace Trellis.Cli.Tests.Governance;

/// <summary><c>gov propose revoke-certificate</c>, <c>ca revoke</c>, and the admin API key <c>up</c> writes.</summary>
public sealed class RevocationCommandsTests : IDisposable
{
    private const string Address = "0x1111111111111111111111111111111111111111";

    private readonly TempDirectory _temp = new();

    private string Dir => _temp.Combine("net");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("revoke-certificate", "gov propose revoke-certificate takes FINGERPRINT [REASON], got 0 values")]
    [InlineData("revoke-certificate 0x12", "FINGERPRINT \"0x12\" is not a SHA-256 certificate fingerprint")]
    [InlineData("revoke-certificate 1111111111111111111111111111111111111111111111111111111111111111", "FINGERPRINT \"1111111111111111111111111111111111111111111111111111111111111111\" is not a SHA-256")]
    [InlineData("revoke-certificate 0x0000000000000000000000000000000000000000000000000000000000000000", "FINGERPRINT \"0x0000000000000000000000000000000000000000000000000000000000000000\" is zero")]
    [InlineData("revoke-certificate AB:CD:EF", "FINGERPRINT \"AB:CD:EF\" is not a SHA-256 certificate fingerprint")]
    [InlineData("revoke-certificate 0xzz11111111111111111111111111111111111111111111111111111111111111", "FINGERPRINT \"0xzz")]
    [InlineData("revoke-certificate 0x1111111111111111111111111111111111111111111111111111111111111111 a b", "gov propose revoke-certificate takes FINGERPRINT [REASON], got 3 values")]
    [InlineData("remove-node " + Address + " --fingerprint 0x11", "--fingerprint and --reason belong to revoke-certificate, not to remove-node")]
    [InlineData("revoke-certificate 0x1111111111111111111111111111111111111111111111111111111111111111 --fingerprint 0x11", "give the certificate fingerprint and reason either as values or as --fingerprint and --reason, not both")]
    [InlineData("revoke-certificate --reason why", "gov propose revoke-certificate --reason needs --fingerprint too")]
    [InlineData("revoke-certificate --fingerprint 0x1234", "FINGERPRINT \"0x1234\" is not a SHA-256 certificate fingerprint")]
    public void ProposeRevokeCertificate_RefusesMalformedInputInOneLineBeforeTouchingTheNetwork(string values, string expected)
    {
        string[] args = ["gov", "propose", .. values.Split(' '), "--org", "org1", "--dir", Dir];
        var (code, output, error) = CliRunner.Run(args);

        Assert.Equal(1, code);
        Assert.StartsWith("error: " + expected, error.Trim(), StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal(string.Empty, output);
        Assert.False(Directory.Exists(Dir));
    }

    [Fact]
    public void ProposeRevokeCertificate_RefusesAReasonOverTheLimit()
    {
        var (code, _, error) = CliRunner.Run("gov", "propose", "revoke-certificate", "0x" + new string('1', 64), new string('r', 257), "--org", "org1", "--dir", Dir);

        Assert.Equal(1, code);
        Assert.Equal("error: REASON is 257 UTF-8 bytes; the limit is 256", error.Trim());
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("sha256 Fingerprint={1}")]
    [InlineData("{1}")]
    public void ProposeRevokeCertificate_AcceptsTheFormsOpenSslAndTheLedgerPrint(string form)
    {
        string hex = "0x" + string.Concat(Enumerable.Repeat("ab", 32));
        string colons = string.Join(':', Enumerable.Repeat("AB", 32));

        // The values parse; the command then stops at the missing network directory.
        var (code, _, error) = CliRunner.Run("gov", "propose", "revoke-certificate", string.Format(CultureInfo.InvariantCulture, form, hex, colons), "--org", "org1", "--dir", Dir);

        Assert.Equal(1, code);
        Assert.Equal($"error: network directory '{Dir}' does not exist (trellis up --dir creates one)", error.Trim());
    }

    [Fact]
    public void CaRevoke_PrintsTheFingerprintOpenSslComputes()
    {
        string ca = _temp.Combine("ca");
        string node = _temp.Combine("node");
        Assert.Equal(0, CliRunner.Run("ca", "init", "--org", "org1", "--dir", ca).ExitCode);
        Assert.Equal(0, CliRunner.Run("ca", "issue-node", "--ca", ca, "--name", "org1-node1", "--signing-address", Address, "--out", node).ExitCode);
        string certificate = Path.Combine(node, "tls.crt");

        var (code, output, error) = CliRunner.Run("ca", "revoke", "--cert", certificate, "--dir", Dir);

        // "sha256 Fingerprint=AB:CD:..." from OpenSSL, independent of our DER handling.
        string openssl = OpenSsl.Text("x509", "-in", certificate, "-noout", "-fingerprint", "-sha256").Trim();
        string expected = "0x" + openssl[(openssl.IndexOf('=', StringComparison.Ordinal) + 1)..].Replace(":", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        Assert.Contains($"fingerprint   {expected}", output, StringComparison.Ordinal);
        Assert.Contains("CN=org1-node1", output, StringComparison.Ordinal);
        Assert.Equal(1, code);
        Assert.Equal($"error: network directory '{Dir}' does not exist (trellis up --dir creates one)", error.Trim());
    }

    [Fact]
    public void CaRevoke_RefusesAFileThatIsNotOneCertificate()
    {
        string garbage = _temp.Combine("garbage.crt");
        File.WriteAllText(garbage, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");

        var (missingCode, _, missing) = CliRunner.Run("ca", "revoke", "--cert", _temp.Combine("none.crt"), "--dir", Dir);
        var (garbageCode, output, error) = CliRunner.Run("ca", "revoke", "--cert", garbage, "--dir", Dir);

        Assert.Equal(1, missingCode);
        Assert.Equal($"error: certificate file {_temp.Combine("none.crt")} does not exist", missing.Trim());
        Assert.Equal(1, garbageCode);
        Assert.StartsWith($"error: certificate file {garbage}: ", error.Trim(), StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Up_WritesAnOwnerOnlyAdminKeyPerNodeAndEnablesAdminOnLoopback()
    {
        Trellis.Cli.Network.NetworkGenerator.Create(Dir, new Trellis.Cli.Network.NetworkSpec { Orgs = 2, BasePort = PortProbeTests.FreePort() % 20_000 + 10_000 });

        foreach (string nodeDir in Directory.GetDirectories(Path.Combine(Dir, "nodes")))
        {
            string key = Path.Combine(nodeDir, "admin.key");
            Assert.Matches("^[0-9a-f]{64}\n$", File.ReadAllText(key));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
            NodeFileConfig config = NodeFileConfig.Load(Path.Combine(nodeDir, "node.json"));
            Assert.True(config.Admin.Enabled);
            Assert.False(config.Admin.AllowRemote);
            Assert.Equal(key, config.Admin.ApiKeyFile);
            using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(nodeDir, "node.json")));
            Assert.Equal("admin.key", json.RootElement.GetProperty("admin").GetProperty("apiKeyFile").GetString());
        }

        string[] keys = [.. Directory.GetDirectories(Path.Combine(Dir, "nodes")).Select(d => File.ReadAllText(Path.Combine(d, "admin.key")))];
        Assert.Equal(keys.Length, keys.Distinct().Count());
    }

    [Fact]
    public async Task OnARunningSoloNetwork_AdminKeyOpensAdminMethodsAndCaRevokeRevokesTheCertificate()
    {
        int port = PortProbeTests.FreePort();
        var (upCode, _, upError) = CliRunner.Run("up", "--consensus", "solo", "--detach", "--dir", Dir, "--base-port", port.ToString(CultureInfo.InvariantCulture));
        Assert.True(upCode == 0, upError);
        try
        {
            string key = File.ReadAllText(Path.Combine(Dir, "nodes", "org1-node1", "admin.key")).Trim();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            string anonymous = await PostAsync(http, port, null);
            string wrong = await PostAsync(http, port, new string('e', 64));
            string authorised = await PostAsync(http, port, key);
            Assert.Equal(-32020, JsonDocument.Parse(anonymous).RootElement.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal(-32020, JsonDocument.Parse(wrong).RootElement.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal("org1-node1", JsonDocument.Parse(authorised).RootElement.GetProperty("result").GetProperty("name").GetString());

            string certificate = Path.Combine(Dir, "nodes", "org1-node1", "tls.crt");
            string openssl = OpenSsl.Text("x509", "-in", certificate, "-noout", "-fingerprint", "-sha256").Trim();
            string fingerprint = "0x" + openssl[(openssl.IndexOf('=', StringComparison.Ordinal) + 1)..].Replace(":", string.Empty, StringComparison.Ordinal).ToLowerInvariant();

            var (code, output, error) = CliRunner.Run("ca", "revoke", "--cert", certificate, "--reason", "retired", "--dir", Dir);
            Assert.True(code == 0, error);
            Assert.Contains($"org1 proposes revoking {fingerprint}: proposal 1 is executed", output, StringComparison.Ordinal);
            Assert.Contains($"{fingerprint} is revoked (proposal 1 executed in block", output, StringComparison.Ordinal);

            (code, output, error) = CliRunner.Run("gov", "show", "1", "--dir", Dir);
            Assert.True(code == 0, error);
            Assert.Contains($"fingerprint={fingerprint}, reason=\"retired\"", output, StringComparison.Ordinal);

            (code, _, error) = CliRunner.Run("gov", "propose", "revoke-certificate", "--fingerprint", fingerprint, "--org", "org1", "--dir", Dir);
            Assert.Equal(1, code);
            Assert.StartsWith($"error: reverted: certificate {fingerprint} is already revoked (proposal 1, effective at height", error.Trim(), StringComparison.Ordinal);
        }
        finally
        {
            CliRunner.Run("down", "--dir", Dir);
        }
    }

    private static async Task<string> PostAsync(HttpClient http, int port, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/")
        {
            Content = new StringContent("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"admin_nodeInfo\",\"params\":[]}", Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using HttpResponseMessage response = await http.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }
}
