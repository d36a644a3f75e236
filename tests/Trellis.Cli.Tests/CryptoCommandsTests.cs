using System.Text.Json;

namespace Trellis.Cli.Tests;

public class CryptoCommandsTests
{
    [Theory]
    [InlineData("standard", "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")] // Keccak-256("abc")
    [InlineData("national", "0x66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")] // SM3("abc"), GB/T 32905 example 1
    public void Hash_OfStandardInput_MatchesPublishedVector(string suite, string expected)
    {
        var (code, output, error) = CliRunner.RunWithInput("abc", "crypto", "hash", "--suite", suite);
        Assert.True(code == 0, error);
        Assert.Equal(expected, output.Trim());
    }

    [Fact]
    public void Hash_OfAFile_ReadsTheFile()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "abc");
            var (code, output, _) = CliRunner.Run("crypto", "hash", "--file", path);
            Assert.Equal(0, code);
            Assert.Equal("0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45", output.Trim());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("standard", 130)]
    [InlineData("national", 256)]
    public void KeygenSignVerify_RoundTripsInBothSuites(string suite, int signatureHexLength)
    {
        var key = GenerateKey(suite);
        var (signCode, signature, signError) = CliRunner.RunWithInput("pay 10 to bob", "crypto", "sign", "--suite", suite, "--key", key.PrivateKey);
        Assert.True(signCode == 0, signError);
        signature = signature.Trim();
        Assert.Equal(signatureHexLength + 2, signature.Length);

        var byKey = CliRunner.RunWithInput("pay 10 to bob", "crypto", "verify", "--suite", suite, "--public-key", key.PublicKey, "--signature", signature);
        Assert.True(byKey.ExitCode == 0, byKey.Error);
        Assert.Contains(key.Address, byKey.Output, StringComparison.Ordinal);

        var byAddress = CliRunner.RunWithInput("pay 10 to bob", "crypto", "verify", "--suite", suite, "--address", key.Address, "--signature", signature);
        Assert.True(byAddress.ExitCode == 0, byAddress.Error);
    }

    [Theory]
    [InlineData("standard")]
    [InlineData("national")]
    public void Verify_TamperedMessage_FailsWithExitCodeOne(string suite)
    {
        var key = GenerateKey(suite);
        var (_, signature, _) = CliRunner.RunWithInput("pay 10 to bob", "crypto", "sign", "--suite", suite, "--key", key.PrivateKey);
        var tampered = CliRunner.RunWithInput("pay 99 to bob", "crypto", "verify", "--suite", suite, "--public-key", key.PublicKey, "--signature", signature.Trim());
        Assert.Equal(1, tampered.ExitCode);
        Assert.StartsWith("invalid", tampered.Error, StringComparison.Ordinal);

        var otherSigner = GenerateKey(suite);
        var wrongAddress = CliRunner.RunWithInput("pay 10 to bob", "crypto", "verify", "--suite", suite, "--address", otherSigner.Address, "--signature", signature.Trim());
        Assert.Equal(1, wrongAddress.ExitCode);
    }

    [Fact]
    public void Sign_WithPemKeyFile_MatchesSigningWithTheSameKeyInHex()
    {
        var (code, pem, error) = CliRunner.Run("crypto", "keygen", "--suite", "national", "--pem");
        Assert.True(code == 0, error);
        Assert.Contains("-----BEGIN PRIVATE KEY-----", pem, StringComparison.Ordinal);
        Assert.Contains("-----BEGIN PUBLIC KEY-----", pem, StringComparison.Ordinal);
        var privatePem = pem[..(pem.IndexOf("-----END PRIVATE KEY-----", StringComparison.Ordinal) + "-----END PRIVATE KEY-----".Length)];
        var publicPem = pem[pem.IndexOf("-----BEGIN PUBLIC KEY-----", StringComparison.Ordinal)..];
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            var keyFile = Path.Combine(dir.FullName, "key.pem");
            var pubFile = Path.Combine(dir.FullName, "pub.pem");
            File.WriteAllText(keyFile, privatePem);
            File.WriteAllText(pubFile, publicPem);
            var (signCode, signature, signError) = CliRunner.RunWithInput("hello", "crypto", "sign", "--suite", "national", "--key", keyFile);
            Assert.True(signCode == 0, signError);
            var verify = CliRunner.RunWithInput("hello", "crypto", "verify", "--suite", "national", "--public-key", pubFile, "--signature", signature.Trim());
            Assert.True(verify.ExitCode == 0, verify.Error);

            // The same PEM key with the other suite is refused with a one-line reason.
            var wrongSuite = CliRunner.RunWithInput("hello", "crypto", "sign", "--suite", "standard", "--key", keyFile);
            AssertOneLineError(wrongSuite, "Sm2");
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Theory]
    [InlineData("0xzz", "not valid hex")]
    [InlineData("0x1234", "2 bytes")]
    [InlineData("0x0000000000000000000000000000000000000000000000000000000000000000", "not a valid")]
    [InlineData("0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "not a valid")]
    [InlineData("/no/such/key.pem", "does not exist")]
    public void Sign_WithBadKey_PrintsOneLineErrorAndExitsOne(string key, string reason)
    {
        AssertOneLineError(CliRunner.RunWithInput("m", "crypto", "sign", "--suite", "standard", "--key", key), reason);
    }

    [Fact]
    public void Sign_WithMalformedPemFile_PrintsOneLineError()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "-----BEGIN PRIVATE KEY-----\nnot base64!!\n-----END PRIVATE KEY-----\n");
            AssertOneLineError(CliRunner.RunWithInput("m", "crypto", "sign", "--key", path), "error");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("0x12", "1 bytes")]
    [InlineData("0xgg", "not valid hex")]
    [InlineData("abc", "not valid hex")]
    public void Verify_WithMalformedSignature_PrintsOneLineError(string signature, string reason)
    {
        var key = GenerateKey("standard");
        AssertOneLineError(CliRunner.RunWithInput("m", "crypto", "verify", "--public-key", key.PublicKey, "--signature", signature), reason);
    }

    [Fact]
    public void Verify_WithBadAddress_PrintsOneLineError()
    {
        var signature = "0x" + new string('1', 130);
        AssertOneLineError(CliRunner.RunWithInput("m", "crypto", "verify", "--address", "0x1234", "--signature", signature), "address");
    }

    [Fact]
    public void UnknownSuite_IsAUsageError()
    {
        var (code, _, error) = CliRunner.Run("crypto", "keygen", "--suite", "rot13");
        Assert.Equal(1, code);
        Assert.Contains("rot13", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_OfMissingFile_PrintsOneLineError()
    {
        AssertOneLineError(CliRunner.Run("crypto", "hash", "--file", "/no/such/file"), "does not exist");
    }

    private static void AssertOneLineError((int ExitCode, string Output, string Error) result, string reason)
    {
        Assert.Equal(1, result.ExitCode);
        var error = result.Error.Trim();
        Assert.DoesNotContain('\n', error);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal); // no stack trace
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
        Assert.StartsWith("error:", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    private static (string PrivateKey, string PublicKey, string Address) GenerateKey(string suite)
    {
        var (code, output, error) = CliRunner.Run("crypto", "keygen", "--suite", suite, "--json");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(suite, root.GetProperty("suite").GetString());
        return (root.GetProperty("privateKey").GetString()!, root.GetProperty("publicKey").GetString()!, root.GetProperty("address").GetString()!);
    }
}
