using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Trellis.Cli.Network;
using Trellis.Core;
using Trellis.Ledger.Governance;
using Trellis.Sdk.Governance;
using LedgerNodeConfig = Trellis.Ledger.Genesis.NodeConfig;

namespace Trellis.Cli.Governance;

/// <summary>
/// <c>trellis node add --org ORG --role validator|observer</c> and <c>trellis node remove NAME</c>: admit or force out a
/// node of a running network by a governance vote of every member whose admin key the directory holds, and start or
/// stop its process.
/// </summary>
internal static class NodeMembershipCommands
{
    /// <summary>Adds <c>add</c> and <c>remove</c> to the <c>node</c> command.</summary>
    public static void AddTo(Command node, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(node);
        var dir = GovernanceOptions.Directory();
        var org = GovernanceOptions.Org("The member organisation that runs the node (its CA in orgs/<org> issues the certificate; its admin proposes).", required: true);
        var role = new Option<string>("--role") { Description = "validator or observer.", DefaultValueFactory = _ => "validator" };
        role.AcceptOnlyFromAmong("validator", "observer");
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for the node to answer JSON-RPC and to sync (default 60).", DefaultValueFactory = _ => 60 };
        var add = new Command("add", "Admit a new node to a running network by vote, write its files and start it.") { org, role, timeout, dir };
        add.SetAction((parse, ct) => NodeCommands.RunGuardedAsync(context, () =>
            AddAsync(context, parse.GetValue(dir)!.FullName, parse.GetValue(org)!, parse.GetValue(role)!, Seconds(parse.GetValue(timeout)), ct)));
        node.Subcommands.Add(add);

        var removeDir = GovernanceOptions.Directory();
        var name = new Argument<string>("name") { Description = "The node's name in network.json (for example org2-node1)." };
        var remove = new Command("remove", "Force a node out of a running network by vote, then stop its process.") { name, removeDir };
        remove.SetAction((parse, ct) => NodeCommands.RunGuardedAsync(context, () => RemoveAsync(context, parse.GetValue(removeDir)!.FullName, parse.GetValue(name)!, ct)));
        node.Subcommands.Add(remove);
    }

    private static TimeSpan Seconds(int value) =>
        value is >= 1 and <= 3600 ? TimeSpan.FromSeconds(value) : throw new CliException($"--timeout must be from 1 to 3600 seconds, got {value.ToString(CultureInfo.InvariantCulture)}");

    private static async Task<int> AddAsync(CommandContext context, string directory, string org, string role, TimeSpan timeout, CancellationToken ct)
    {
        TextWriter o = context.Output;
        using GovernanceSession session = await GovernanceSession.OpenAsync(directory, ct).ConfigureAwait(false);
        if (!await GovernanceSession.Run(() => session.Reader.IsMemberAsync(org, ct)).ConfigureAwait(false))
        {
            throw new CliException($"unknown organisation '{org}': it is not a member of the consortium ('trellis org add {org}' proposes it)");
        }

        if (!session.HasAdminKey(org))
        {
            throw new CliException($"unknown organisation '{org}': {session.Layout.OrgDirectory(org)} holds no admin.key");
        }

        (NetworkNode node, LedgerNodeConfig entry) = NetworkGenerator.AppendNode(session.Layout, session.Manifest, session.Suite, org, role);
        o.WriteLine($"created {node.Name} in {session.Layout.NodeDirectory(node.Name)}: signing address {entry.Address}, JSON-RPC {node.RpcText}, peers at {node.P2p}");
        ProposalOutcome outcome;
        try
        {
            outcome = await GovernanceSession.Run(() => session.As(org).ProposeAddNodeAsync(
                entry.Address, node.Name, org, ProposalParser.Role(role), entry.PublicKey!.Bytes.ToArray(), new Hash256(entry.TlsCertificateFingerprint!.Value.Span), ct)).ConfigureAwait(false);
            o.WriteLine($"{org} proposes adding {node.Name} as {role}: proposal {outcome.ProposalId} is {GovFormat.Status(outcome.Status)}");
            o.Flush();
            outcome = await session.VoteUntilPassedAsync(o, outcome, org, ct).ConfigureAwait(false);
        }
        catch (CliException)
        {
            Directory.Delete(session.Layout.NodeDirectory(node.Name), recursive: true);
            throw;
        }

        NodeInfo? registered = await GovernanceSession.Run(() => session.Reader.GetNodeAsync(entry.Address, ct)).ConfigureAwait(false);
        o.WriteLine($"{node.Name} is registered as {GovFormat.Role(registered?.Role ?? RegistryRole.None)} from block {registered?.ActivationHeight.ToString(CultureInfo.InvariantCulture) ?? "?"} (proposal {outcome.ProposalId} executed in block {outcome.Receipt.BlockNumber})");
        if (registered is { ActivationHeight: > 0 } entered)
        {
            // Peers admit the node from the block before its activation height (their policy is for head + 1).
            try
            {
                ulong head = await session.AdvanceToAsync(entered.ActivationHeight - 1, org, ct).ConfigureAwait(false);
                o.WriteLine($"the chain is at block {head.ToString(CultureInfo.InvariantCulture)}: peers admit {node.Name} from block {entered.ActivationHeight.ToString(CultureInfo.InvariantCulture)}");
            }
            catch (CliException e)
            {
                // The node is registered either way; it is admitted once other transactions move the chain on.
                o.WriteLine($"warning: could not advance the chain to block {(entered.ActivationHeight - 1).ToString(CultureInfo.InvariantCulture)} with {org}'s admin account ({e.Message}); peers admit {node.Name} once the chain reaches it");
            }
        }

        session.Manifest = NetworkGenerator.AppendToManifest(session.Layout, session.Manifest, node);
        await StartAsync(context, session, node, timeout, ct).ConfigureAwait(false);
        return 0;
    }

    private static async Task StartAsync(CommandContext context, GovernanceSession session, NetworkNode node, TimeSpan timeout, CancellationToken ct)
    {
        TextWriter o = context.Output;
        if (!PortProbe.IsFree(node.RpcHost, node.RpcPort) || !PortProbe.IsFree(node.P2pHost!, node.P2pPort))
        {
            throw new CliException($"{node.Name} is registered but cannot start: port {node.RpcPort.ToString(CultureInfo.InvariantCulture)} or {node.P2pPort.ToString(CultureInfo.InvariantCulture)} is in use");
        }

        using Process process = NodeProcesses.Start(session.Layout, node, detach: true);
        o.WriteLine($"started {node.Name} (pid {process.Id.ToString(CultureInfo.InvariantCulture)}), log {session.Layout.LogFile(node.Name)}");
        o.Flush();
        using var status = new NodeStatusClient(TimeSpan.FromSeconds(2));
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!await status.AnswersAsync(node, ct).ConfigureAwait(false))
        {
            if (process.HasExited)
            {
                NodeProcesses.RemovePid(session.Layout, node);
                string reason = NodeProcesses.LastLogError(session.Layout, node) ?? "no output";
                throw new CliException($"{node.Name} is registered on the ledger but exited while starting (exit code {process.ExitCode.ToString(CultureInfo.InvariantCulture)}): {reason} (log: {session.Layout.LogFile(node.Name)})");
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new CliException($"{node.Name} is registered and running but did not answer JSON-RPC at {node.RpcText} within {timeout.TotalSeconds:0} s; see its log {session.Layout.LogFile(node.Name)}");
            }

            await Task.Delay(200, ct).ConfigureAwait(false);
        }

        ulong target = (await status.QueryAsync(session.Endpoint, ct).ConfigureAwait(false)).Height ?? 0;
        ulong height = 0;
        while (DateTime.UtcNow < deadline)
        {
            height = (await status.QueryAsync(node, ct).ConfigureAwait(false)).Height ?? 0;
            if (height >= target)
            {
                o.WriteLine($"{node.Name} answers at {node.RpcText} and has synced to height {height.ToString(CultureInfo.InvariantCulture)}");
                return;
            }

            await Task.Delay(250, ct).ConfigureAwait(false);
        }

        o.WriteLine($"warning: {node.Name} answers at {node.RpcText} but is at height {height.ToString(CultureInfo.InvariantCulture)} of {target.ToString(CultureInfo.InvariantCulture)} after {timeout.TotalSeconds:0} s (are its peers admitting it? see {session.Layout.LogFile(node.Name)})");
    }

    private static async Task<int> RemoveAsync(CommandContext context, string directory, string name, CancellationToken ct)
    {
        TextWriter o = context.Output;
        using GovernanceSession session = await GovernanceSession.OpenAsync(directory, ct).ConfigureAwait(false);
        NetworkNode node = session.Manifest.Nodes.FirstOrDefault(n => n.Name == name)
            ?? throw new CliException($"unknown node '{name}': network.json lists {string.Join(", ", session.Manifest.Nodes.Select(n => n.Name))}");
        NodeInfo registered = (await GovernanceSession.Run(() => session.Reader.GetNodesAsync(ct)).ConfigureAwait(false)).FirstOrDefault(n => n.Name == name)
            ?? throw new CliException($"node '{name}' is not in the ledger's node registry");
        if (registered.Role == RegistryRole.Removed)
        {
            throw new CliException($"node '{name}' ({registered.SigningAddress}) is already removed");
        }

        string proposer = session.HasAdminKey(registered.Org) && await GovernanceSession.Run(() => session.Reader.IsMemberAsync(registered.Org, ct)).ConfigureAwait(false)
            ? registered.Org
            : await OrgCommands.FirstLocalMemberAsync(session, ct).ConfigureAwait(false);
        ProposalOutcome outcome = await GovernanceSession.Run(() => session.As(proposer).ProposeRemoveNodeAsync(registered.SigningAddress, ct)).ConfigureAwait(false);
        o.WriteLine($"{proposer} proposes removing {name} ({registered.SigningAddress}): proposal {outcome.ProposalId} is {GovFormat.Status(outcome.Status)}");
        o.Flush();
        outcome = await session.VoteUntilPassedAsync(o, outcome, proposer, ct).ConfigureAwait(false);
        o.WriteLine($"{name} is removed (proposal {outcome.ProposalId} executed in block {outcome.Receipt.BlockNumber})");

        if (NodeProcesses.FindRunning(session.Layout, node) is { } pid)
        {
            IReadOnlyList<string> killed = await NodeProcesses.StopAsync([(node.Name, pid)], NetworkRunner.StopGrace, ct).ConfigureAwait(false);
            o.WriteLine(killed.Count > 0 ? $"{name} did not stop in time and was killed" : $"stopped {name} (pid {pid.ToString(CultureInfo.InvariantCulture)})");
        }

        NodeProcesses.RemovePid(session.Layout, node);
        session.Manifest = NetworkGenerator.ReplaceNodes(session.Layout, session.Manifest, [.. session.Manifest.Nodes.Where(n => n.Name != name)]);
        o.WriteLine($"removed {name} from network.json (its files stay in {session.Layout.NodeDirectory(name)})");
        return 0;
    }
}
