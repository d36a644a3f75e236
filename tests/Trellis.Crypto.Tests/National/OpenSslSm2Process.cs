using System.Diagnostics;

namespace Trellis.Crypto.Tests.National;

/// <summary>
/// Runs the <c>openssl</c> command as a separate process, with files in a private temporary directory, so tests can
/// cross-check SM2, SM3 and key encodings against an independent implementation.
/// </summary>
internal sealed class OpenSslSm2Process : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("trellis-openssl-").FullName;

    /// <summary>Full path of a file in the private directory.</summary>
    public string PathOf(string name) => Path.Combine(_directory, name);

    /// <summary>Writes bytes to a file in the private directory and returns its path.</summary>
    public string WriteFile(string name, ReadOnlySpan<byte> content)
    {
        var path = PathOf(name);
        File.WriteAllBytes(path, content.ToArray());
        return path;
    }

    /// <summary>Writes text to a file in the private directory and returns its path.</summary>
    public string WriteText(string name, string content)
    {
        var path = PathOf(name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Runs openssl with the arguments; returns exit code, standard output and standard error.</summary>
    public static (int ExitCode, string Output, string Error) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start openssl");
        var errorTask = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, errorTask.GetAwaiter().GetResult());
    }

    /// <summary>Runs openssl and throws with its error output if it fails.</summary>
    public static string RunChecked(params string[] arguments)
    {
        var (exitCode, output, error) = Run(arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} exited with {exitCode}: {error}");
        }

        return output;
    }

    /// <summary>SM3 of a file's bytes as lower-case hex, via <c>openssl dgst -sm3</c>.</summary>
    public string Sm3Hex(ReadOnlySpan<byte> data)
    {
        var path = WriteFile("sm3-input.bin", data);
        var output = RunChecked("dgst", "-sm3", "-r", path);
        return output.Split(' ', 2)[0].Trim();
    }

    /// <summary>Generates an SM2 key with <c>openssl genpkey -algorithm SM2</c>; returns the PKCS#8 PEM path.</summary>
    public string GenerateSm2Key(string name)
    {
        var path = PathOf(name);
        RunChecked("genpkey", "-algorithm", "SM2", "-out", path);
        return path;
    }

    /// <summary>Writes the public key of a private key PEM file as a SubjectPublicKeyInfo PEM file.</summary>
    public string ExtractPublicKey(string privateKeyPath, string name)
    {
        var path = PathOf(name);
        RunChecked("pkey", "-in", privateKeyPath, "-pubout", "-out", path);
        return path;
    }

    /// <summary>Signs a message with SM2/SM3 and the given distinguishing id; returns the DER signature.</summary>
    public byte[] Sign(string privateKeyPath, ReadOnlySpan<byte> message, string distinguishingId)
    {
        var input = WriteFile("message.bin", message);
        var output = PathOf("signature.der");
        RunChecked("pkeyutl", "-sign", "-rawin", "-digest", "sm3", "-inkey", privateKeyPath, "-in", input,
            "-pkeyopt", "distid:" + distinguishingId, "-out", output);
        return File.ReadAllBytes(output);
    }

    /// <summary>Verifies a DER signature with SM2/SM3 and the given distinguishing id.</summary>
    public bool Verify(string publicKeyPath, ReadOnlySpan<byte> message, ReadOnlySpan<byte> derSignature, string distinguishingId)
    {
        var input = WriteFile("message.bin", message);
        var signature = WriteFile("signature.der", derSignature);
        var (exitCode, output, _) = Run("pkeyutl", "-verify", "-rawin", "-digest", "sm3", "-pubin", "-inkey", publicKeyPath,
            "-in", input, "-sigfile", signature, "-pkeyopt", "distid:" + distinguishingId);
        return exitCode == 0 && output.Contains("Signature Verified Successfully", StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless.
        }
    }
}
