using System.CommandLine;
using System.Globalization;
using Trellis.Crypto;
using Trellis.Node;
using ConfigException = Trellis.Ledger.Genesis.ConfigException;

namespace Trellis.Cli;

/// <summary>
/// <c>trellis up --consensus solo [--dir DIR]</c>: create (or resume) a one-node development chain in DIR and run
/// it in the foreground until Ctrl-C.
/// </summary>
internal static class UpCommand
{
    public static Command Build(CommandContext context)
    {
        var consensusOption = new Option<string>("--consensus")
        {
            Description = "Consensus engine of the network; 'solo' (one node, development) is available today.",
            DefaultValueFactory = _ => "solo",
        };
        consensusOption.AcceptOnlyFromAmong("solo");
        var dirOption = new Option<DirectoryInfo>("--dir", "-d")
        {
            Description = "Directory of the network: created if missing, resumed if it holds one.",
            DefaultValueFactory = _ => new DirectoryInfo("trellis-net"),
        };
        var portOption = new Option<int>("--port", "-p")
        {
            Description = "JSON-RPC port for a new network (default 8545; an existing network keeps its node.json).",
            DefaultValueFactory = _ => NodeConfig.DefaultRpcPort,
        };
        var chainIdOption = new Option<ulong>("--chain-id")
        {
            Description = "Chain id of a new network (default 1337).",
            DefaultValueFactory = _ => 1337,
        };
        var suiteOption = new Option<string>("--suite", "-s")
        {
            Description = "Crypto suite of a new network: 'standard' (Ethereum compatible) or 'national' (SM2/SM3/SM4).",
            DefaultValueFactory = _ => "standard",
        };
        suiteOption.AcceptOnlyFromAmong("standard", "national");
        var intervalOption = new Option<int>("--block-interval")
        {
            Description = "Least milliseconds between two blocks of a new network (default 200).",
            DefaultValueFactory = _ => 200,
        };

        var up = new Command("up", "Create a development network in a directory (or resume the one there) and run it until Ctrl-C.")
        {
            consensusOption, dirOption, portOption, chainIdOption, suiteOption, intervalOption,
        };
        up.SetAction((parse, cancellationToken) => NodeCommands.RunGuardedAsync(context, () =>
        {
            var options = new DevelopmentChainOptions
            {
                ChainId = parse.GetValue(chainIdOption),
                Suite = CryptoSuites.Get(parse.GetValue(suiteOption)!),
                RpcPort = parse.GetValue(portOption),
                BlockIntervalMs = parse.GetValue(intervalOption),
            };
            string directory = parse.GetValue(dirOption)!.FullName;
            DevelopmentChainLayout layout = DevelopmentChain.CreateOrOpen(directory, options);
            context.Output.WriteLine(layout.Created ? $"created a solo development network in {layout.Directory}" : $"resuming the network in {layout.Directory}");
            NodeConfig config;
            try
            {
                config = NodeConfig.Load(layout.NodeConfigFile);
            }
            catch (ConfigException e)
            {
                throw new CliException(e.Message, e);
            }

            return NodeCommands.RunNodeAsync(context, config, node =>
            {
                context.Output.WriteLine($"accounts  {layout.AccountsFile} (funded development keys: see {DevelopmentChain.WarningFileName})");
                context.Output.WriteLine($"head      block {node.Blocks.Head!.Height.ToString(CultureInfo.InvariantCulture)}");
                context.Output.WriteLine("Ctrl-C stops the node; run the same command again to resume.");
            }, cancellationToken);
        }));
        return up;
    }
}
