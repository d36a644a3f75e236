using System.CommandLine;
using System.Text.Json;
using Trellis.Cli.Network;

namespace Trellis.Cli;

/// <summary><c>trellis status [--dir DIR] [--json]</c>: each node's role, height and health, asked over JSON-RPC.</summary>
internal static class StatusCommand
{
    /// <summary>Exit code when the report was made but some node is not healthy.</summary>
    public const int SomeUnhealthy = 2;

    public static Command Build(CommandContext context)
    {
        var dirOption = new Option<DirectoryInfo>("--dir", "-d")
        {
            Description = "Directory of the network (default ./trellis-net).",
            DefaultValueFactory = _ => new DirectoryInfo("trellis-net"),
        };
        var jsonOption = new Option<bool>("--json") { Description = "Print a JSON list of {\"node\", \"rpc\", \"height\", \"role\", \"healthy\"}." };
        var command = new Command("status", "Show each node of a network directory: role, height, peers, health. Exit code 0 when every node is healthy, 2 when some is not, 1 on error.")
        {
            dirOption, jsonOption,
        };
        command.SetAction(parse => CryptoCommands.Guard(context, () =>
            RunAsync(context, parse.GetValue(dirOption)!.FullName, parse.GetValue(jsonOption)).GetAwaiter().GetResult()));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, string directory, bool json)
    {
        var layout = new NetworkLayout(Path.TrimEndingDirectorySeparator(directory));
        NetworkManifest manifest = NetworkDirectory.LoadManifest(layout);
        using var client = new NodeStatusClient(TimeSpan.FromSeconds(3));
        NodeStatus[] statuses = await client.QueryAllAsync(manifest.Nodes, CancellationToken.None).ConfigureAwait(false);
        bool allHealthy = true;
        foreach (NodeStatus status in statuses)
        {
            allHealthy &= status.Healthy;
        }

        if (json)
        {
            context.Output.WriteLine(ToJson(statuses));
        }
        else
        {
            var notes = new string?[statuses.Length];
            for (int i = 0; i < statuses.Length; i++)
            {
                if (!statuses[i].Answered)
                {
                    bool running = NodeProcesses.FindRunning(layout, manifest.Nodes[i]) is not null;
                    notes[i] = running ? $"not answering: {statuses[i].Error}" : "stopped";
                }
            }

            foreach (string line in StatusTable.Render(statuses, null, notes))
            {
                context.Output.WriteLine(line);
            }
        }

        return allHealthy ? 0 : SomeUnhealthy;
    }

    /// <summary>The --json form: a list of {"node", "rpc", "height", "role", "healthy"} (height a number or null).</summary>
    internal static string ToJson(IReadOnlyList<NodeStatus> statuses)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (NodeStatus status in statuses)
            {
                writer.WriteStartObject();
                writer.WriteString("node", status.Node);
                writer.WriteString("rpc", status.Rpc);
                if (status.Height is { } height)
                {
                    writer.WriteNumber("height", height);
                }
                else
                {
                    writer.WriteNull("height");
                }

                if (status.Role is { } role)
                {
                    writer.WriteString("role", role);
                }
                else
                {
                    writer.WriteNull("role");
                }

                writer.WriteBoolean("healthy", status.Healthy);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
