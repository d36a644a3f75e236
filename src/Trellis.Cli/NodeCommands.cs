using System.CommandLine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Trellis.Node;
using ConfigException = Trellis.Ledger.Genesis.ConfigException;

namespace Trellis.Cli;

/// <summary><c>trellis node run --config FILE</c>: run one node in the foreground until Ctrl-C or SIGTERM.</summary>
internal static class NodeCommands
{
    public static Command Build(CommandContext context)
    {
        var node = new Command("node", "Run a Trellis node.");
        var configOption = new Option<FileInfo>("--config", "-c")
        {
            Description = "The node configuration file (node.json: data directory, genesis file, JSON-RPC host and port, limits, log level).",
            Required = true,
        };
        var run = new Command("run", "Run one node in the foreground until Ctrl-C or SIGTERM.") { configOption };
        run.SetAction((parse, cancellationToken) => RunGuardedAsync(context, () =>
        {
            NodeConfig config = NodeConfig.Load(parse.GetValue(configOption)!.FullName);
            return RunNodeAsync(context, config, null, cancellationToken);
        }));
        node.Subcommands.Add(run);
        return node;
    }

    /// <summary>
    /// Runs a node until <paramref name="cancellationToken"/> fires (System.CommandLine cancels it on SIGINT and
    /// SIGTERM) or the engine fails; prints the RPC URL and chain id once it serves, then <paramref name="banner"/>.
    /// </summary>
    public static async Task<int> RunNodeAsync(CommandContext context, NodeConfig config, Action<TrellisNode>? banner, CancellationToken cancellationToken)
    {
        using ILoggerFactory loggers = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(config.LogLevel)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss.fff ";
                options.ColorBehavior = LoggerColorBehavior.Disabled;
            })
            .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace));

        // Logs go to standard error so that standard output carries only what a script may read (the URL).
        await using TrellisNode node = await TrellisNode.StartAsync(config, loggers, cancellationToken).ConfigureAwait(false);
        context.Output.WriteLine($"JSON-RPC  {node.RpcAddress.ToString().TrimEnd('/')}");
        context.Output.WriteLine($"chain id  {node.Chain.ChainId}");
        banner?.Invoke(node);
        context.Output.Flush();
        try
        {
            await node.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
            context.Error.WriteLine("error: the consensus engine stopped");
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            context.Output.WriteLine("stopping");
            return 0;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.Error.WriteLine($"error: the consensus engine failed: {e.Message}");
            return 1;
        }
    }

    /// <summary>Turns the errors a user can cause (bad config, port in use, ...) into one line and exit code 1.</summary>
    public static async Task<int> RunGuardedAsync(CommandContext context, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is NodeStartException or ConfigException or CliException or IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
