using System.Diagnostics;

namespace Trellis.Crypto.Tests;

/// <summary>Runs the <c>openssl</c> command with arguments and standard input, and captures standard output as bytes.</summary>
internal static class OpenSslProcess
{
    public static byte[] Run(ReadOnlySpan<byte> input, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException("could not start openssl");
        // Read both pipes concurrently with writing stdin so a large output cannot deadlock the child.
        var stdout = new MemoryStream();
        var stdoutTask = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderrTask = process.StandardError.ReadToEndAsync();
        process.StandardInput.BaseStream.Write(input);
        process.StandardInput.Close();
        stdoutTask.GetAwaiter().GetResult();
        var stderr = stderrTask.GetAwaiter().GetResult();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"openssl {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr}");
        }

        return stdout.ToArray();
    }
}
