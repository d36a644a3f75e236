using System.Diagnostics;

namespace Trellis.Cli.Tests.Network;

/// <summary>The <c>openssl</c> command line: an independent reading of the keys and certificates the CLI writes.</summary>
internal static class OpenSsl
{
    /// <summary>Runs openssl with <paramref name="arguments"/>; returns exit code, standard output as bytes, and standard error.</summary>
    public static (int ExitCode, byte[] Output, string Error) Run(byte[]? input, params string[] arguments)
    {
        var info = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(info)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        Task copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        if (input is not null)
        {
            process.StandardInput.BaseStream.Write(input);
        }

        process.StandardInput.Close();
        copy.Wait(TimeSpan.FromSeconds(30));
        process.WaitForExit(30_000);
        return (process.ExitCode, output.ToArray(), error.Result);
    }

    /// <summary>Runs openssl and returns its standard output as text, failing the test on a non-zero exit code.</summary>
    public static string Text(params string[] arguments)
    {
        var (code, output, error) = Run(null, arguments);
        Assert.True(code == 0, $"openssl {string.Join(' ', arguments)} failed: {error}");
        return System.Text.Encoding.UTF8.GetString(output);
    }

    /// <summary>Runs openssl and returns its standard output as bytes, failing the test on a non-zero exit code.</summary>
    public static byte[] Bytes(byte[]? input, params string[] arguments)
    {
        var (code, output, error) = Run(input, arguments);
        Assert.True(code == 0, $"openssl {string.Join(' ', arguments)} failed: {error}");
        return output;
    }
}
