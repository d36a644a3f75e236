using System.Globalization;

namespace Trellis.Cli.Bench;

/// <summary>
/// Reads a Linux process's CPU time (<c>/proc/PID/stat</c>: utime + stime) and peak resident set
/// (<c>/proc/PID/status</c>: VmHWM), and finds the process listening on a loopback TCP port.
/// </summary>
internal static class ProcessSampler
{
    // USER_HZ: the unit of the times in /proc/PID/stat, fixed at 100 in the Linux user-space ABI.
    private const double TicksPerSecond = 100;

    /// <summary>CPU seconds (user + system) the process used so far, or null when it cannot be read.</summary>
    public static double? ReadCpuSeconds(int pid)
    {
        string? stat = TryRead($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        if (stat is null)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may hold spaces: fields are counted after the last ')'.
        int close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        string[] fields = stat[(close + 2)..].Split(' ');

        // After ')' come field 3 (state) onwards: utime is field 14, stime field 15, so indexes 11 and 12 here.
        return fields.Length > 12 &&
            ulong.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out ulong user) &&
            ulong.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out ulong system)
            ? (user + system) / TicksPerSecond
            : null;
    }

    /// <summary>
    /// Seconds the process's threads spent waiting for a core while runnable (the second field of
    /// <c>/proc/PID/task/TID/schedstat</c>, nanoseconds, summed over threads), or null without schedstat.
    /// </summary>
    public static double? ReadRunQueueWaitSeconds(int pid)
    {
        string tasks = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/task";
        try
        {
            long total = 0;
            bool any = false;
            foreach (string task in Directory.EnumerateDirectories(tasks))
            {
                string? line = TryRead(Path.Combine(task, "schedstat"));
                string[]? fields = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields is { Length: >= 2 } && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out long waited))
                {
                    total += waited;
                    any = true;
                }
            }

            return any ? total / 1e9 : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The peak resident set (VmHWM) in bytes, or null when it cannot be read.</summary>
    public static long? ReadPeakRssBytes(int pid)
    {
        string? status = TryRead($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status");
        if (status is null)
        {
            return null;
        }

        foreach (string line in status.Split('\n'))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                string value = line["VmHWM:".Length..].Trim();
                int space = value.IndexOf(' ', StringComparison.Ordinal);
                if (long.TryParse(space < 0 ? value : value[..space], NumberStyles.None, CultureInfo.InvariantCulture, out long kib))
                {
                    return kib * 1024;
                }
            }
        }

        return null;
    }

    /// <summary>The process id in a pid file, if the file exists and the process runs.</summary>
    public static int? ReadPidFile(string path)
    {
        string? text = TryRead(path);
        return text is not null && int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0 && Directory.Exists($"/proc/{text.Trim()}")
            ? pid
            : null;
    }

    /// <summary>
    /// The process listening on TCP <paramref name="port"/> (any local address), found through the socket inode in
    /// <c>/proc/net/tcp</c> and <c>/proc/PID/fd</c>; null when none of this user's processes holds it.
    /// </summary>
    public static int? FindListener(int port)
    {
        string? inode = FindListeningInode("/proc/net/tcp", port) ?? FindListeningInode("/proc/net/tcp6", port);
        if (inode is null)
        {
            return null;
        }

        string target = $"socket:[{inode}]";
        try
        {
            foreach (string process in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(process), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                {
                    continue;
                }

                try
                {
                    foreach (string fd in Directory.EnumerateFileSystemEntries(Path.Combine(process, "fd")))
                    {
                        if (new FileInfo(fd).LinkTarget == target)
                        {
                            return pid;
                        }
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Another user's process, or one that just ended.
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return null;
    }

    private static string? FindListeningInode(string table, int port)
    {
        string? text = TryRead(table);
        if (text is null)
        {
            return null;
        }

        string portHex = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        foreach (string line in text.Split('\n').Skip(1))
        {
            string[] columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

            // sl local_address rem_address st ... inode: state 0A is LISTEN; the inode is column 9.
            if (columns.Length > 9 && columns[1].EndsWith(portHex, StringComparison.Ordinal) && columns[3] == "0A")
            {
                return columns[9];
            }
        }

        return null;
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
