using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Trellis.Integration.Tests;

/// <summary>The real <c>trellis</c> command in its own process (<c>dotnet trellis.dll ...</c>), with its output captured.</summary>
internal sealed partial class TrellisProcess : IDisposable
{
    private const int SigInt = 2;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly TaskCompletionSource<Uri> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TrellisProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The built <c>trellis.dll</c> of the same configuration (Debug or Release) as these tests.</summary>
    public static string TrellisDll { get; } = FindTrellisDll();

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public static TrellisProcess Start(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(TrellisDll);
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var wrapper = new TrellisProcess(process);
        process.OutputDataReceived += (_, e) => wrapper.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => wrapper.OnError(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    /// <summary>Runs to completion and returns the exit code.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(TimeSpan timeout, params string[] arguments)
    {
        using TrellisProcess process = Start(arguments);
        await process.WaitForExitAsync(timeout);
        return (process.ExitCode, process.Output, process.Error);
    }

    /// <summary>Waits for the "JSON-RPC  http://..." line a node prints once it serves.</summary>
    public async Task<Uri> WaitUntilServingAsync(TimeSpan timeout)
    {
        Task finished = await Task.WhenAny(_ready.Task, _process.WaitForExitAsync(), Task.Delay(timeout));
        if (finished != _ready.Task)
        {
            throw new InvalidOperationException($"the node did not start serving (exited: {_process.HasExited}); stdout:\n{Output}\nstderr:\n{Error}");
        }

        return await _ready.Task;
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"trellis did not exit within {timeout}; stdout:\n{Output}\nstderr:\n{Error}");
        }
    }

    /// <summary>SIGKILL: no chance to clean up, as in a crash or an OOM kill.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    /// <summary>SIGINT, as Ctrl-C sends.</summary>
    public void Interrupt()
    {
        if (SendSignal(_process.Id, SigInt) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGINT) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        const string Prefix = "JSON-RPC  ";
        if (line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            _ready.TrySetResult(new Uri(line[Prefix.Length..].Trim()));
        }
    }

    private void OnError(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_error)
        {
            _error.AppendLine(line);
        }
    }

    private static string FindTrellisDll()
    {
        // tests/Trellis.Integration.Tests/bin/<Configuration>/net10.0/ -> src/Trellis.Cli/bin/<Configuration>/net10.0/trellis.dll
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        string framework = output.Name;
        string configuration = output.Parent!.Name;
        string? root = null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Trellis.slnx")))
            {
                root = dir.FullName;
                break;
            }
        }

        if (root is null)
        {
            throw new DirectoryNotFoundException($"no directory containing Trellis.slnx above {AppContext.BaseDirectory}");
        }

        string path = Path.Combine(root, "src", "Trellis.Cli", "bin", configuration, framework, "trellis.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"trellis.dll is not built at {path}", path);
    }
}
