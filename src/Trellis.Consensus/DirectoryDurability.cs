using System.Runtime.InteropServices;

namespace Trellis.Consensus;

/// <summary>
/// Makes a new file or a rename durable: both live in the directory entry, which survives a crash only once the
/// directory itself is flushed. .NET has no API for that, so on Unix the directory is opened and fsync'd directly.
/// Shared by the engines' safety files (HotStuff votes, Raft term, vote and log).
/// </summary>
internal static partial class DirectoryDurability
{
    /// <summary>Flushes <paramref name="directory"/>'s entries to disk; <paramref name="what"/> names the file for the error.</summary>
    /// <exception cref="IOException">The directory cannot be opened or flushed.</exception>
    public static void Flush(string directory, string what)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        int fd = NativeMethods.Open(directory, 0);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {directory} to flush {what} (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (NativeMethods.Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = NativeMethods.Close(fd);
        }
    }

    private static partial class NativeMethods
    {
        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int Open(string path, int flags);

        [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
        internal static partial int Fsync(int fd);

        [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
        internal static partial int Close(int fd);
    }
}
