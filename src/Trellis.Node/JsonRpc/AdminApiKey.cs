using System.Buffers;
using System.Security.Cryptography;

namespace Trellis.Node.JsonRpc;

/// <summary>
/// The admin API key: 32 random bytes written as 64 hex digits in a small file (<c>admin.apiKeyFile</c>). Messages
/// about a bad key file never quote its contents.
/// </summary>
public static class AdminApiKey
{
    /// <summary>Bytes in a key.</summary>
    public const int KeyBytes = 32;

    /// <summary>The largest key file read (a key with a prefix and line ending is under 70 bytes).</summary>
    public const int MaxFileBytes = 1024;

    /// <summary>Creates a new random key as 64 lower-case hex digits.</summary>
    public static string Generate()
    {
        Span<byte> key = stackalloc byte[KeyBytes];
        RandomNumberGenerator.Fill(key);
        string text = Convert.ToHexStringLower(key);
        CryptographicOperations.ZeroMemory(key);
        return text;
    }

    /// <summary>
    /// Writes a new random key to <paramref name="path"/> (which must not exist), readable and writable by the owner
    /// only on Unix, and returns it. <c>trellis up</c> uses this for each node's <c>admin.key</c>.
    /// </summary>
    /// <exception cref="IOException">The file exists or cannot be written.</exception>
    public static string CreateFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string key = Generate();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(key);
        writer.Write('\n');
        return key;
    }

    /// <summary>Reads and checks a key file.</summary>
    /// <exception cref="FormatException">The file is too large or does not hold exactly 64 hex digits; the message
    /// names the file and the rule, never the contents.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static byte[] Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"admin API key file '{path}' does not exist", path);
        }

        if (info.Length > MaxFileBytes)
        {
            throw new FormatException($"admin API key file '{path}' is {info.Length} bytes; a key file holds 64 hex digits and may be at most {MaxFileBytes} bytes");
        }

        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length > MaxFileBytes)
        {
            throw new FormatException($"admin API key file '{path}' is {bytes.Length} bytes; a key file holds 64 hex digits and may be at most {MaxFileBytes} bytes");
        }

        char[] text = new char[bytes.Length];
        try
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                text[i] = (char)bytes[i];
            }

            if (!TryParse(text, out byte[]? key, out string? problem))
            {
                throw new FormatException($"admin API key file '{path}' {problem}");
            }

            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
            Array.Clear(text);
        }
    }

    /// <summary>
    /// Reads a key: optional surrounding white space, an optional <c>0x</c>, then exactly 64 hex digits.
    /// <paramref name="problem"/> says what is wrong without quoting the text.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? key, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        key = null;
        Span<byte> decoded = stackalloc byte[KeyBytes];
        if (!TryDecode(text.Trim(), decoded, out problem))
        {
            return false;
        }

        bool allZero = decoded.IndexOfAnyExcept((byte)0) < 0;
        if (allZero)
        {
            problem = "holds an all-zero key; generate 32 random bytes";
            return false;
        }

        key = decoded.ToArray();
        CryptographicOperations.ZeroMemory(decoded);
        return true;
    }

    /// <summary>Decodes 64 hex digits (after an optional 0x) into <paramref name="key"/> (32 bytes).</summary>
    internal static bool TryDecode(ReadOnlySpan<char> text, Span<byte> key, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            text = text[2..];
        }

        if (text.Length != KeyBytes * 2)
        {
            problem = $"must hold exactly {KeyBytes * 2} hex digits ({KeyBytes} bytes), found {text.Length} characters";
            return false;
        }

        if (Convert.FromHexString(text, key, out _, out int written) != OperationStatus.Done || written != KeyBytes)
        {
            problem = $"must hold exactly {KeyBytes * 2} hex digits ({KeyBytes} bytes), found a character that is not a hex digit";
            return false;
        }

        problem = null;
        return true;
    }
}
