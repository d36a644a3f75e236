using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.Cli;

/// <summary>Reads keys given on the command line: hex, or a file holding hex or PEM.</summary>
internal static class KeyInput
{
    private const long MaxKeyFileBytes = 64 * 1024;

    public static PrivateKey ReadPrivateKey(ICryptoSuite suite, string value)
    {
        var text = ReadValue(value, "--key");
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            var (curve, bytes) = KeyEncoding.ImportPrivateKeyPem(text);
            CheckCurve(suite, curve, "--key");
            return suite.ImportPrivateKey(bytes);
        }

        var raw = DecodeHex(text, "--key");
        if (raw.Length != PrivateKey.Length)
        {
            throw new CliException($"--key is {raw.Length} bytes; a private key is {PrivateKey.Length} bytes of hex or a PEM file");
        }

        return suite.ImportPrivateKey(raw);
    }

    public static PublicKey ReadPublicKey(ICryptoSuite suite, string value)
    {
        var text = ReadValue(value, "--public-key");
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            var (curve, bytes) = KeyEncoding.ImportPublicKeyPem(text);
            CheckCurve(suite, curve, "--public-key");
            return suite.ImportPublicKey(bytes);
        }

        var raw = DecodeHex(text, "--public-key");
        if (raw.Length != PublicKey.Length)
        {
            throw new CliException($"--public-key is {raw.Length} bytes; a public key is {PublicKey.Length} bytes (x || y) of hex or a PEM file");
        }

        return suite.ImportPublicKey(raw);
    }

    public static byte[] DecodeHex(string text, string what)
    {
        if (!Hex.TryDecode(text.Trim(), out var bytes, out var error))
        {
            throw new CliException($"{what} is not valid hex: {error}");
        }

        return bytes;
    }

    /// <summary>A value that names an existing file is read from it; anything else is the value itself.</summary>
    private static string ReadValue(string value, string what)
    {
        var looksLikeHex = value.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (!looksLikeHex && File.Exists(value))
        {
            var info = new FileInfo(value);
            if (info.Length > MaxKeyFileBytes)
            {
                throw new CliException($"{what} file '{value}' is {info.Length} bytes; a key file is at most {MaxKeyFileBytes}");
            }

            return File.ReadAllText(value).Trim();
        }

        if (!looksLikeHex && (value.Contains('/', StringComparison.Ordinal) || value.EndsWith(".pem", StringComparison.OrdinalIgnoreCase)))
        {
            throw new CliException($"{what} file '{value}' does not exist");
        }

        return value.Trim();
    }

    private static void CheckCurve(ICryptoSuite suite, CurveKind curve, string what)
    {
        if (curve != suite.Curve)
        {
            throw new CliException($"{what} is a {curve} key, but the {suite.Name} suite uses {suite.Curve} keys (use --suite {CryptoSuites.ForCurve(curve).Name})");
        }
    }
}
