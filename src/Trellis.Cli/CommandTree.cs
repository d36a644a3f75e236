using System.CommandLine;
using Trellis.Cli.Bench;
using Trellis.Cli.Governance;

namespace Trellis.Cli;

/// <summary>Builds the tree of <c>trellis</c> verbs.</summary>
internal static class CommandTree
{
    public static RootCommand Build(CommandContext context)
    {
        var root = new RootCommand("Trellis: a consortium blockchain platform with BFT consensus, an EVM and national (SM2/SM3/SM4) cryptography.");
        foreach (var option in root.Options)
        {
            if (option is VersionOption version)
            {
                version.Action = new VersionAction(context.Output);
            }
        }

        root.Subcommands.Add(CaCommands.Build(context));
        root.Subcommands.Add(CryptoCommands.Build(context));
        root.Subcommands.Add(EvmCommands.Build(context));
        root.Subcommands.Add(LedgerCommands.Build(context));
        Command node = NodeCommands.Build(context);
        NodeMembershipCommands.AddTo(node, context);
        root.Subcommands.Add(node);
        root.Subcommands.Add(UpCommand.Build(context));
        root.Subcommands.Add(StatusCommand.Build(context));
        root.Subcommands.Add(DownCommand.Build(context));
        root.Subcommands.Add(BenchCommand.Build(context));
        root.Subcommands.Add(GovCommands.Build(context));
        root.Subcommands.Add(OrgCommands.Build(context));
        return root;
    }
}
