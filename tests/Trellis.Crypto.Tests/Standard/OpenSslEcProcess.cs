using System.Diagnostics;
using System.Formats.Asn1;

namespace Trellis.Crypto.Tests.Standard;

/// <summary>
/// Runs the <c>openssl</c> command as a separate process to generate secp256k1 keys, sign 32-byte digests and verify
/// signatures, so our implementation is checked against an independent one. Keys, digests and signatures travel
/// as DER files in a private temporary directory.
/// </summary>
internal sealed class OpenSslEcProcess : IDisposable
{
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";
    private const string Secp256k1Oid = "1.3.132.0.10";

    private readonly string _directory = Directory.CreateTempSubdirectory("trellis-openssl-").FullName;
    private int _counter;

    /// <summary>Generates a key with <c>openssl ecparam -genkey</c>; returns the DER key file and the raw key pair.</summary>
    public (string KeyFile, byte[] PrivateKey, byte[] PublicKey) GenerateKey()
    {
        string keyFile = NextPath("key.der");
        Run("ecparam", "-name", "secp256k1", "-genkey", "-noout", "-outform", "DER", "-out", keyFile);
        var (privateKey, publicKey) = ParseEcPrivateKey(File.ReadAllBytes(keyFile));
        return (keyFile, privateKey, publicKey);
    }

    /// <summary>Signs a 32-byte digest with <c>openssl pkeyutl -sign</c> (no hashing); returns r || s.</summary>
    public byte[] Sign(string keyFile, ReadOnlySpan<byte> digest)
    {
        string digestFile = NextPath("digest.bin");
        string signatureFile = NextPath("sig.der");
        File.WriteAllBytes(digestFile, digest.ToArray());
        Run("pkeyutl", "-sign", "-inkey", keyFile, "-keyform", "DER", "-in", digestFile, "-out", signatureFile);
        return DecodeSignature(File.ReadAllBytes(signatureFile));
    }

    /// <summary>Verifies r || s over a 32-byte digest with <c>openssl pkeyutl -verify</c> against a 64-byte public key.</summary>
    public bool Verify(ReadOnlySpan<byte> publicKey64, ReadOnlySpan<byte> digest, ReadOnlySpan<byte> rs64)
    {
        string publicKeyFile = NextPath("pub.der");
        string digestFile = NextPath("digest.bin");
        string signatureFile = NextPath("sig.der");
        File.WriteAllBytes(publicKeyFile, EncodeSubjectPublicKeyInfo(publicKey64));
        File.WriteAllBytes(digestFile, digest.ToArray());
        File.WriteAllBytes(signatureFile, EncodeSignature(rs64));
        var (exitCode, output, _) = RunUnchecked(
            "pkeyutl", "-verify", "-pubin", "-inkey", publicKeyFile, "-keyform", "DER", "-in", digestFile, "-sigfile", signatureFile);
        return exitCode == 0 && output.Contains("Signature Verified Successfully", StringComparison.Ordinal);
    }

    /// <summary>SubjectPublicKeyInfo { AlgorithmIdentifier { id-ecPublicKey, secp256k1 }, BIT STRING 04 || x || y }.</summary>
    public static byte[] EncodeSubjectPublicKeyInfo(ReadOnlySpan<byte> publicKey64)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(EcPublicKeyOid);
                writer.WriteObjectIdentifier(Secp256k1Oid);
            }

            writer.WriteBitString([0x04, .. publicKey64]);
        }

        return writer.Encode();
    }

    /// <summary>ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }.</summary>
    public static byte[] EncodeSignature(ReadOnlySpan<byte> rs64)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(TrimLeadingZeros(rs64[..32]));
            writer.WriteIntegerUnsigned(TrimLeadingZeros(rs64[32..]));
        }

        return writer.Encode();
    }

    public static byte[] DecodeSignature(byte[] der)
    {
        var reader = new AsnReader(der, AsnEncodingRules.DER);
        var sequence = reader.ReadSequence();
        var r = sequence.ReadIntegerBytes().Span;
        var s = sequence.ReadIntegerBytes().Span;
        sequence.ThrowIfNotEmpty();
        var rs = new byte[64];
        CopyUnsigned(r, rs.AsSpan(0, 32));
        CopyUnsigned(s, rs.AsSpan(32, 32));
        return rs;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>ECPrivateKey (RFC 5915) ::= SEQUENCE { version 1, privateKey OCTET STRING, [0] parameters, [1] publicKey BIT STRING }.</summary>
    private static (byte[] PrivateKey, byte[] PublicKey) ParseEcPrivateKey(byte[] der)
    {
        var reader = new AsnReader(der, AsnEncodingRules.DER);
        var sequence = reader.ReadSequence();
        if (!sequence.TryReadInt32(out int version) || version != 1)
        {
            throw new InvalidDataException("ECPrivateKey version is not 1");
        }

        var privateKey = new byte[32];
        CopyUnsigned(sequence.ReadOctetString(), privateKey);
        var parameters = sequence.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
        string curve = parameters.ReadObjectIdentifier();
        if (curve != Secp256k1Oid)
        {
            throw new InvalidDataException($"ECPrivateKey curve is {curve}, expected secp256k1 ({Secp256k1Oid})");
        }

        var publicKeyField = sequence.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 1));
        var point = publicKeyField.ReadBitString(out _);
        if (point.Length != 65 || point[0] != 0x04)
        {
            throw new InvalidDataException("ECPrivateKey public key is not an uncompressed point");
        }

        return (privateKey, point[1..]);
    }

    private static void CopyUnsigned(ReadOnlySpan<byte> value, Span<byte> destination)
    {
        value = TrimLeadingZeros(value);
        if (value.Length > destination.Length)
        {
            throw new InvalidDataException($"integer of {value.Length} bytes does not fit in {destination.Length}");
        }

        destination.Clear();
        value.CopyTo(destination[(destination.Length - value.Length)..]);
    }

    private static ReadOnlySpan<byte> TrimLeadingZeros(ReadOnlySpan<byte> value)
    {
        int start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        return value[start..];
    }

    private string NextPath(string name) => Path.Combine(_directory, $"{Interlocked.Increment(ref _counter)}-{name}");

    private static void Run(params string[] arguments)
    {
        var (exitCode, output, error) = RunUnchecked(arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} exited with {exitCode}: {error}{output}");
        }
    }

    private static (int ExitCode, string Output, string Error) RunUnchecked(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start openssl");
        var errorTask = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, errorTask.Result);
    }
}
