using System.CommandLine;
using System.Globalization;
using Trellis.Cli.Network;

namespace Trellis.Cli;

/// <summary><c>trellis down [--dir DIR]</c>: stop every node of a network directory (idempotent).</summary>
internal static class DownCommand
{
    public static Command Build(CommandContext context)
    {
        var dirOption = new Option<DirectoryInfo>("--dir", "-d")
        {
            Description = "Directory of the network (default ./trellis-net).",
            DefaultValueFactory = _ => new DirectoryInfo("trellis-net"),
        };
        var command = new Command("down", "Stop every node of a network directory: SIGTERM, then SIGKILL for a node that does not stop within 15 s. The data stays; 'trellis up' resumes.")
        {
            dirOption,
        };
        command.SetAction(parse => CryptoCommands.Guard(context, () =>
            RunAsync(context, parse.GetValue(dirOption)!.FullName).GetAwaiter().GetResult()));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, string directory)
    {
        var layout = new NetworkLayout(Path.TrimEndingDirectorySeparator(directory));
        IReadOnlyList<NetworkNode> nodes = FindNodes(context, layout);
        var targets = new List<(string Name, int Pid)>();
        foreach (NetworkNode node in nodes)
        {
            if (NodeProcesses.FindRunning(layout, node) is { } pid)
            {
                targets.Add((node.Name, pid));
            }
        }

        if (targets.Count == 0)
        {
            foreach (NetworkNode node in nodes)
            {
                NodeProcesses.RemovePid(layout, node);
            }

            context.Output.WriteLine($"no node of {layout.Directory} is running");
            return 0;
        }

        context.Output.WriteLine($"stopping {string.Join(", ", targets.ConvertAll(t => $"{t.Name} (pid {t.Pid.ToString(CultureInfo.InvariantCulture)})"))}");
        context.Output.Flush();
        IReadOnlyList<string> killed = await NodeProcesses.StopAsync(targets, NetworkRunner.StopGrace, CancellationToken.None).ConfigureAwait(false);
        foreach (string name in killed)
        {
            context.Error.WriteLine($"warning: {name} did not stop within {NetworkRunner.StopGrace.TotalSeconds:0} s and was killed");
        }

        foreach (NetworkNode node in nodes)
        {
            NodeProcesses.RemovePid(layout, node);
        }

        context.Output.WriteLine($"stopped {targets.Count.ToString(CultureInfo.InvariantCulture)} node{(targets.Count == 1 ? string.Empty : "s")} of {layout.Directory}");
        return 0;
    }

    /// <summary>
    /// The nodes of network.json; when that file is broken, the node directories under nodes/ instead, so a damaged
    /// directory can still be stopped.
    /// </summary>
    private static IReadOnlyList<NetworkNode> FindNodes(CommandContext context, NetworkLayout layout)
    {
        try
        {
            return NetworkDirectory.LoadManifest(layout).Nodes;
        }
        catch (CliException e) when (File.Exists(layout.ManifestFile))
        {
            context.Error.WriteLine($"warning: {e.Message}; stopping the nodes found under nodes/ instead");
            var nodes = new List<NetworkNode>();
            string root = Path.Combine(layout.Directory, "nodes");
            if (Directory.Exists(root))
            {
                foreach (string path in Directory.EnumerateDirectories(root))
                {
                    string name = Path.GetFileName(path);
                    if (NetworkManifest.IsSafeName(name))
                    {
                        nodes.Add(new NetworkNode(name, string.Empty, "validator", new Uri("http://127.0.0.1:1"), null, "nodes/" + name));
                    }
                }
            }

            return nodes;
        }
    }
}
