using System.Diagnostics;

namespace Trellis.Cli.Tests;

/// <summary><c>trellis ca</c> end to end in a temporary directory, with OpenSSL as the independent judge.</summary>
public sealed class CaCommandsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("trellis-ca-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("standard")]
    [InlineData("national")]
    public void InitIssueNodeIssueAdminVerify_WorkInBothSuites(string crypto)
    {
        string ca = Path.Combine(_directory, "ca");
        Ok("ca", "init", "--org", "org1", "--dir", ca, "--crypto", crypto);
        Assert.Equal(crypto == "national", File.Exists(Path.Combine(ca, "tls-ca.crt")));

        var (code, pem, error) = CliRunner.Run("crypto", "keygen", "--suite", crypto, "--pem");
        Assert.True(code == 0, error);
        string key = Write("signing.key", pem[..(pem.IndexOf("-----END PRIVATE KEY-----", StringComparison.Ordinal) + 25)]);
        string address = AddressOf(crypto, key);

        string node = Path.Combine(_directory, "node");
        string issued = Ok("ca", "issue-node", "--ca", ca, "--name", "org1-node1", "--signing-key", key, "--out", node);
        Assert.Contains($"address       {address}", issued, StringComparison.Ordinal);
        string admin = Path.Combine(_directory, "admin");
        Ok("ca", "issue-admin", "--ca", ca, "--name", "alice", "--out", admin);
        Assert.True(File.Exists(Path.Combine(admin, "admin.key")));

        string root = Path.Combine(ca, "ca.crt");
        Assert.Contains("valid node certificate \"CN=org1-node1, O=org1\"", Ok("ca", "verify", "--ca", root, Path.Combine(node, "tls.crt")), StringComparison.Ordinal);
        Assert.Contains("valid admin certificate", Ok("ca", "verify", "--ca", root, Path.Combine(admin, "admin.crt")), StringComparison.Ordinal);
        Assert.Contains("valid CA (root) certificate", Ok("ca", "verify", "--ca", root, root), StringComparison.Ordinal);

        string shown = Ok("ca", "show", Path.Combine(node, "tls.crt"));
        Assert.Contains("subject       CN=org1-node1, O=org1", shown, StringComparison.Ordinal);
        Assert.Contains($"address       {address}", shown, StringComparison.Ordinal);
        Assert.Contains("key           EC P-256", shown, StringComparison.Ordinal);
        string fingerprint = OpenSslFingerprint(Path.Combine(node, "tls.crt"));
        Assert.Contains($"fingerprint   0x{fingerprint}", shown, StringComparison.Ordinal);
        Assert.Contains(crypto == "national" ? "signature     SM3withSM2" : "key           EC secp256k1", Ok("ca", "show", Path.Combine(admin, "admin.crt")), StringComparison.Ordinal);

        // The node key is P-256 PKCS#8 for TLS, readable by OpenSSL.
        var (opensslCode, keyText) = OpenSsl("pkey", "-in", Path.Combine(node, "tls.key"), "-noout", "-text");
        Assert.True(opensslCode == 0, keyText);
        Assert.Contains("NIST CURVE: P-256", keyText, StringComparison.Ordinal);
    }

    [Fact]
    public void Init_RefusesToOverwriteACa()
    {
        string ca = Path.Combine(_directory, "ca");
        Ok("ca", "init", "--org", "org1", "--dir", ca);
        string before = File.ReadAllText(Path.Combine(ca, "ca.key"));
        Fails("holds a CA already", "ca", "init", "--org", "org1", "--dir", ca);
        Assert.Equal(before, File.ReadAllText(Path.Combine(ca, "ca.key")));
    }

    [Fact]
    public void IssueNode_WithASigningAddress_OrBadInput_ReportsOneLineErrors()
    {
        string ca = Path.Combine(_directory, "ca");
        Ok("ca", "init", "--org", "org1", "--dir", ca);
        string out1 = Path.Combine(_directory, "n1");
        string address = "0x00000000000000000000000000000000000000aa";
        Assert.Contains(address, Ok("ca", "issue-node", "--ca", ca, "--name", "n1", "--signing-address", address, "--out", out1), StringComparison.Ordinal);
        Fails("never overwritten", "ca", "issue-node", "--ca", ca, "--name", "n1", "--signing-address", address, "--out", out1);
        Fails("not 0x and 40 hex digits", "ca", "issue-node", "--ca", ca, "--name", "n2", "--signing-address", "0x12", "--out", Path.Combine(_directory, "n2"));
        Fails("exactly one of --signing-key and --signing-address", "ca", "issue-node", "--ca", ca, "--name", "n2", "--out", Path.Combine(_directory, "n2"));
        Fails("holds no CA", "ca", "issue-node", "--ca", _directory, "--name", "n2", "--signing-address", address, "--out", Path.Combine(_directory, "n2"));
        Fails("must be 1 to 64 characters", "ca", "issue-node", "--ca", ca, "--name", new string('x', 65), "--signing-address", address, "--out", Path.Combine(_directory, "n3"));

        // An SM2 key for a standard-suite CA is the wrong key type.
        var (_, pem, _) = CliRunner.Run("crypto", "keygen", "--suite", "national", "--pem");
        string sm2 = Write("sm2.key", pem[..(pem.IndexOf("-----END PRIVATE KEY-----", StringComparison.Ordinal) + 25)]);
        Fails("is a Sm2 key", "ca", "issue-node", "--ca", ca, "--name", "n4", "--signing-key", sm2, "--out", Path.Combine(_directory, "n4"));
        Fails("is a Sm2 key", "ca", "issue-admin", "--ca", ca, "--name", "bob", "--key", sm2, "--out", Path.Combine(_directory, "a4"));
    }

    [Fact]
    public void Verify_RefusesACertificateOfAnotherCa_AndGarbage_WithTheReason()
    {
        string ca1 = Path.Combine(_directory, "ca1");
        string ca2 = Path.Combine(_directory, "ca2");
        Ok("ca", "init", "--org", "org1", "--dir", ca1);
        Ok("ca", "init", "--org", "org2", "--dir", ca2, "--crypto", "national");
        string node = Path.Combine(_directory, "node");
        Ok("ca", "issue-node", "--ca", ca2, "--name", "n", "--signing-address", "0x00000000000000000000000000000000000000aa", "--out", node);

        Fails("UnknownIssuer", "ca", "verify", "--ca", Path.Combine(ca1, "ca.crt"), Path.Combine(node, "tls.crt"));

        string garbage = Write("garbage.crt", "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        Fails("is not a valid DER X.509 certificate", "ca", "verify", "--ca", Path.Combine(ca1, "ca.crt"), garbage);
        Fails("is not a valid DER X.509 certificate", "ca", "show", garbage);
        Fails("holds no \"-----BEGIN CERTIFICATE-----\" block", "ca", "show", Write("text.crt", "hello world"));
        Fails("does not exist", "ca", "show", Path.Combine(_directory, "missing.crt"));
        string huge = Path.Combine(_directory, "huge.crt");
        File.WriteAllBytes(huge, new byte[2 * 1024 * 1024]);
        Fails("at most", "ca", "show", huge);
        Fails("holds no self-signed CA certificate", "ca", "verify", "--ca", Path.Combine(node, "tls.crt"), Path.Combine(node, "tls.crt"));

        // A key where a certificate belongs.
        Fails("holds no \"-----BEGIN CERTIFICATE-----\" block", "ca", "verify", "--ca", Path.Combine(ca1, "ca.key"), Path.Combine(node, "tls.crt"));
    }

    [Fact]
    public void Verify_ReportsAnExpiredCertificate()
    {
        string ca = Path.Combine(_directory, "ca");
        Ok("ca", "init", "--org", "org1", "--dir", ca);
        string node = Path.Combine(_directory, "node");
        Ok("ca", "issue-node", "--ca", ca, "--name", "n", "--signing-address", "0x00000000000000000000000000000000000000aa", "--out", node, "--days", "1");

        // Make an expired copy with OpenSSL itself: re-sign the same request with validity ending yesterday.
        string csr = Path.Combine(_directory, "n.csr");
        Assert.Equal(0, OpenSsl("x509", "-x509toreq", "-in", Path.Combine(node, "tls.crt"), "-signkey", Path.Combine(node, "tls.key"), "-out", csr, "-copy_extensions", "copyall").ExitCode);
        string expired = Path.Combine(_directory, "expired.crt");
        var (code, output) = OpenSsl("x509", "-req", "-in", csr, "-CA", Path.Combine(ca, "ca.crt"), "-CAkey", Path.Combine(ca, "ca.key"),
            "-copy_extensions", "copyall", "-not_before", "20200101000000Z", "-not_after", "20200102000000Z", "-out", expired);
        if (code != 0)
        {
            // OpenSSL 3.0 lacks -not_before; -days 0 makes notAfter equal to now, expired a second later.
            (code, output) = OpenSsl("x509", "-req", "-in", csr, "-CA", Path.Combine(ca, "ca.crt"), "-CAkey", Path.Combine(ca, "ca.key"),
                "-copy_extensions", "copyall", "-days", "0", "-out", expired);
            Thread.Sleep(1100);
        }

        Assert.True(code == 0, output);
        Fails("Expired", "ca", "verify", "--ca", Path.Combine(ca, "ca.crt"), expired);
        Fails("--days 0 is out of range", "ca", "issue-node", "--ca", ca, "--name", "m", "--signing-address", "0x00000000000000000000000000000000000000aa", "--out", Path.Combine(_directory, "m"), "--days", "0");
    }

    /// <summary>
    /// The address of a private key file computed without Trellis: OpenSSL derives the public key; the hash is SM3 by
    /// OpenSSL or Keccak-256 by BouncyCastle (this OpenSSL 3.0 has no Keccak).
    /// </summary>
    private string AddressOf(string crypto, string keyFile)
    {
        string der = Path.Combine(_directory, "pub.der");
        var (code, output) = OpenSsl("pkey", "-in", keyFile, "-pubout", "-outform", "DER", "-out", der);
        Assert.True(code == 0, output);
        byte[] point = File.ReadAllBytes(der)[^64..];
        byte[] digest = new byte[32];
        if (crypto == "national")
        {
            string xy = Path.Combine(_directory, "xy.bin");
            File.WriteAllBytes(xy, point);
            digest = Convert.FromHexString(OpenSsl("dgst", "-sm3", "-r", xy).Output.Split(' ')[0]);
        }
        else
        {
            var keccak = new Org.BouncyCastle.Crypto.Digests.KeccakDigest(256);
            keccak.BlockUpdate(point, 0, point.Length);
            keccak.DoFinal(digest, 0);
        }

        return "0x" + Convert.ToHexStringLower(digest[^20..]);
    }

    private static string OpenSslFingerprint(string certificate)
    {
        var (code, output) = OpenSsl("x509", "-in", certificate, "-noout", "-fingerprint", "-sha256");
        Assert.True(code == 0, output);
        return output.Trim().Split('=')[1].Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
    }

    private string Write(string name, string content)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static string Ok(params string[] args)
    {
        var (code, output, error) = CliRunner.Run(args);
        Assert.True(code == 0, $"trellis {string.Join(' ', args)} failed: {error}");
        return output;
    }

    private static void Fails(string fragment, params string[] args)
    {
        var (code, _, error) = CliRunner.Run(args);
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains(fragment, error, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output) OpenSsl(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }
}
