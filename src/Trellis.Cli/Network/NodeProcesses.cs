using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Trellis.Cli.Network;

/// <summary>
/// Starting, finding and stopping node processes of a network directory: each runs
/// <c>trellis node run --config nodes/&lt;name&gt;/node.json</c> with its output appended to node.log and its PID in
/// node.pid.
/// </summary>
internal static partial class NodeProcesses
{
    private const int SigTerm = 15;
    private const int SigKill = 9;
    private const int NoSuchProcess = 3; // ESRCH

    /// <summary>
    /// The command that runs this trellis: the current executable, or <c>dotnet trellis.dll</c> when the current
    /// executable is the dotnet host (<c>dotnet run</c>, tests).
    /// </summary>
    public static IReadOnlyList<string> TrellisCommand()
    {
        string? process = Environment.ProcessPath;
        string assembly = typeof(NodeProcesses).Assembly.Location;
        if (process is null || Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return [process ?? "dotnet", assembly];
        }

        if (Path.GetFileNameWithoutExtension(process).Equals("trellis", StringComparison.OrdinalIgnoreCase))
        {
            return [process];
        }

        // Some other host (a test runner) loaded this assembly: run the assembly with the dotnet beside the runtime.
        return ["dotnet", Path.ChangeExtension(assembly, ".dll")];
    }

    /// <summary>
    /// Starts a node. With <paramref name="detach"/> it runs in a session of its own (setsid) so that closing the
    /// terminal or Ctrl-C in the shell does not reach it. Returns the started process (its PID is the node's).
    /// </summary>
    public static Process Start(NetworkLayout layout, NetworkNode node, bool detach)
    {
        string log = layout.LogFile(node.Name);
        string config = layout.NodeConfigFile(node.Name);
        using (var stream = new FileStream(log, FileMode.Append, FileAccess.Write))
        {
            stream.Write(Encoding.UTF8.GetBytes($"--- {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss zzz} trellis up starts {node.Name}\n"));
        }

        // sh redirects the output to the log and then execs the node (via setsid when detached), so the PID sh had is
        // the node's own and no pipe ties the node to this process. Paths go in as arguments, never into the script.
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = layout.NodeDirectory(node.Name) };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(detach
            ? "log=$1; shift; exec setsid \"$@\" >>\"$log\" 2>&1 </dev/null"
            : "log=$1; shift; exec \"$@\" >>\"$log\" 2>&1 </dev/null");
        info.ArgumentList.Add("trellis-node");
        info.ArgumentList.Add(log);
        foreach (string part in TrellisCommand())
        {
            info.ArgumentList.Add(part);
        }

        info.ArgumentList.Add("node");
        info.ArgumentList.Add("run");
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(config);
        Process process = Process.Start(info) ?? throw new CliException($"could not start {node.Name}: /bin/sh did not start");
        WritePid(layout.PidFile(node.Name), process.Id);
        return process;
    }

    /// <summary>The PID in node.pid when that process is alive and is this node; otherwise null.</summary>
    public static int? FindRunning(NetworkLayout layout, NetworkNode node)
    {
        string pidFile = layout.PidFile(node.Name);
        string text;
        try
        {
            if (!File.Exists(pidFile))
            {
                return null;
            }

            text = File.ReadAllText(pidFile).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 1)
        {
            return null;
        }

        return IsNode(pid, layout.NodeConfigFile(node.Name)) ? pid : null;
    }

    /// <summary>
    /// True when process <paramref name="pid"/> is alive and runs the node with <paramref name="configFile"/>. A PID
    /// reused by an unrelated process after a reboot or crash is not a node, and is never signalled.
    /// </summary>
    public static bool IsNode(int pid, string configFile)
    {
        if (!IsAlive(pid))
        {
            return false;
        }

        string cmdline = Path.Combine("/proc", pid.ToString(CultureInfo.InvariantCulture), "cmdline");
        if (!File.Exists(cmdline))
        {
            // No /proc (not Linux): trust the PID file.
            return !OperatingSystem.IsLinux();
        }

        try
        {
            string[] arguments = File.ReadAllText(cmdline).Split('\0');
            return Array.IndexOf(arguments, "run") >= 0 && Array.IndexOf(arguments, configFile) >= 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>True while process <paramref name="pid"/> exists (and is not a zombie on Linux).</summary>
    public static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                using Process process = Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        if (SendSignal(pid, 0) != 0 && Marshal.GetLastPInvokeError() == NoSuchProcess)
        {
            return false;
        }

        // An exited child that its parent has not reaped yet still answers kill(0); its state in /proc says Z.
        string stat = Path.Combine("/proc", pid.ToString(CultureInfo.InvariantCulture), "stat");
        try
        {
            string text = File.ReadAllText(stat);
            int close = text.LastIndexOf(')');
            return close < 0 || close + 2 >= text.Length || text[close + 2] != 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return !OperatingSystem.IsLinux();
        }
    }

    /// <summary>Asks a process to stop (SIGTERM): a node shuts down cleanly, as on Ctrl-C.</summary>
    public static void Terminate(int pid)
    {
        if (OperatingSystem.IsWindows())
        {
            Kill(pid);
            return;
        }

        _ = SendSignal(pid, SigTerm);
    }

    /// <summary>Ends a process at once (SIGKILL): for a node that did not stop when asked.</summary>
    public static void Kill(int pid)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                using Process process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }

            return;
        }

        _ = SendSignal(pid, SigKill);
    }

    /// <summary>
    /// Stops the given node processes: SIGTERM to all, wait up to <paramref name="grace"/> for them to exit, then
    /// SIGKILL whatever is left. Returns the names of the nodes that had to be killed.
    /// </summary>
    public static async Task<IReadOnlyList<string>> StopAsync(IReadOnlyList<(string Name, int Pid)> nodes, TimeSpan grace, CancellationToken cancellationToken)
    {
        foreach ((_, int pid) in nodes)
        {
            Terminate(pid);
        }

        DateTime deadline = DateTime.UtcNow + grace;
        var killed = new List<string>();
        while (true)
        {
            bool anyAlive = false;
            foreach ((_, int pid) in nodes)
            {
                anyAlive |= IsAlive(pid);
            }

            if (!anyAlive)
            {
                return killed;
            }

            if (DateTime.UtcNow >= deadline)
            {
                break;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        foreach ((string name, int pid) in nodes)
        {
            if (IsAlive(pid))
            {
                Kill(pid);
                killed.Add(name);
            }
        }

        return killed;
    }

    /// <summary>Removes a PID file; missing is fine.</summary>
    public static void RemovePid(NetworkLayout layout, NetworkNode node)
    {
        try
        {
            File.Delete(layout.PidFile(node.Name));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A stale PID file is harmless: FindRunning checks the process behind it.
        }
    }

    /// <summary>The last line of the node's log that starts with "error:", or its last non-empty line, or null.</summary>
    public static string? LastLogError(NetworkLayout layout, NetworkNode node)
    {
        string log = layout.LogFile(node.Name);
        try
        {
            if (!File.Exists(log))
            {
                return null;
            }

            using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            long start = Math.Max(0, stream.Length - 16 * 1024);
            stream.Seek(start, SeekOrigin.Begin);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            string[] lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            for (int i = lines.Length - 1; i >= 0; i--)
            {
                if (lines[i].StartsWith("error:", StringComparison.Ordinal))
                {
                    return lines[i];
                }
            }

            return lines.Length == 0 ? null : lines[^1];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void WritePid(string path, int pid)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, pid.ToString(CultureInfo.InvariantCulture) + "\n");
        File.Move(temporary, path, overwrite: true);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
