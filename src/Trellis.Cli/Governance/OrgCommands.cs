using System.CommandLine;
using Trellis.Cli.Network;
using Trellis.Core;
using Trellis.Sdk.Governance;

namespace Trellis.Cli.Governance;

/// <summary>
/// <c>trellis org add NAME [--vote-all]</c>: creates the organisation's CA and admin key under orgs/NAME, proposes it as
/// a member with the first member's admin key in the directory and, with --vote-all, votes with the others until it
/// passes.
/// </summary>
internal static class OrgCommands
{
    public static Command Build(CommandContext context)
    {
        var dir = GovernanceOptions.Directory();
        var name = new Argument<string>("name") { Description = "The new organisation's name (1 to 64 of A-Z a-z 0-9 . _ -)." };
        var voteAll = new Option<bool>("--vote-all") { Description = "Vote yes with every other member's admin key in the directory until the proposal passes (otherwise print the votes still needed)." };
        var add = new Command("add", "Add a member organisation to a running network by a governance vote.") { name, voteAll, dir };
        add.SetAction((parse, ct) => NodeCommands.RunGuardedAsync(context, () => AddAsync(context, parse.GetValue(dir)!.FullName, parse.GetValue(name)!, parse.GetValue(voteAll), ct)));
        var org = new Command("org", "Member organisations of a running network.");
        org.Subcommands.Add(add);
        return org;
    }

    private static async Task<int> AddAsync(CommandContext context, string directory, string name, bool voteAll, CancellationToken ct)
    {
        TextWriter o = context.Output;
        using GovernanceSession session = await GovernanceSession.OpenAsync(directory, ct).ConfigureAwait(false);
        if (!NetworkManifest.IsSafeName(name))
        {
            throw new CliException($"organisation name \"{name}\" is not 1 to 64 of A-Z a-z 0-9 . _ - (not starting with a dot)");
        }

        if (await GovernanceSession.Run(() => session.Reader.IsMemberAsync(name, ct)).ConfigureAwait(false))
        {
            throw new CliException($"organisation {name} is already a member");
        }

        string proposer = await FirstLocalMemberAsync(session, ct).ConfigureAwait(false);
        (Hash256 fingerprint, Address admin) = NetworkGenerator.AppendOrg(session.Layout, session.Suite, name);
        o.WriteLine($"created the CA of {name} in {session.Layout.OrgDirectory(name)} (fingerprint {fingerprint}), admin account {admin}");
        ProposalOutcome outcome;
        try
        {
            outcome = await GovernanceSession.Run(() => session.As(proposer).ProposeAddMemberAsync(name, fingerprint, [admin], ct)).ConfigureAwait(false);
        }
        catch (CliException)
        {
            // Nothing on the ledger refers to the new CA: leave no half-added organisation behind.
            Directory.Delete(session.Layout.OrgDirectory(name), recursive: true);
            throw;
        }

        o.WriteLine($"{proposer} proposes adding {name}: proposal {outcome.ProposalId} is {GovFormat.Status(outcome.Status)} (block {outcome.Receipt.BlockNumber})");
        o.Flush();
        if (!voteAll && !outcome.Executed)
        {
            o.WriteLine($"the other members vote with: trellis gov vote {outcome.ProposalId} --org ORG --dir {session.Layout.Directory}");
            return 0;
        }

        outcome = await session.VoteUntilPassedAsync(o, outcome, proposer, ct).ConfigureAwait(false);
        o.WriteLine($"{name} is a member (proposal {outcome.ProposalId} executed in block {outcome.Receipt.BlockNumber})");
        return 0;
    }

    /// <summary>The first member, in committee order, whose admin key this directory holds.</summary>
    public static async Task<string> FirstLocalMemberAsync(GovernanceSession session, CancellationToken ct)
    {
        foreach (MemberInfo member in await GovernanceSession.Run(() => session.Reader.GetMembersAsync(ct)).ConfigureAwait(false))
        {
            if (session.HasAdminKey(member.Name))
            {
                return member.Name;
            }
        }

        throw new CliException($"{session.Layout.Directory} holds the admin key of no member organisation (orgs/<org>/admin.key)");
    }
}
