using System.CommandLine;
using System.Globalization;
using Trellis.Ledger.Governance;
using Trellis.Sdk.Governance;

namespace Trellis.Cli.Governance;

/// <summary>
/// <c>trellis gov list|show|propose|vote|execute</c>: governance proposals of a running network directory, signed with
/// the admin keys under orgs/&lt;org&gt;/admin.key.
/// </summary>
internal static class GovCommands
{
    public static Command Build(CommandContext context)
    {
        var gov = new Command("gov", "Governance of a running network: list, show, propose, vote on and execute proposals.");
        gov.Subcommands.Add(BuildList(context));
        gov.Subcommands.Add(BuildShow(context));
        gov.Subcommands.Add(BuildPropose(context));
        gov.Subcommands.Add(BuildVote(context));
        gov.Subcommands.Add(BuildExecute(context));
        return gov;
    }

    private static Command BuildList(CommandContext context)
    {
        var dir = GovernanceOptions.Directory();
        var list = new Command("list", "List every proposal: id, kind, status, yes and no weight, proposer's member.") { dir };
        list.SetAction((parse, ct) => NodeCommands.RunGuardedAsync(context, async () =>
        {
            using GovernanceSession session = await GovernanceSession.OpenAsync(parse.GetValue(dir)!.FullName, ct).ConfigureAwait(false);
            IReadOnlyList<ProposalInfo> proposals = await GovernanceSession.Run(() => session.Reader.GetProposalsAsync(ct)).ConfigureAwait(false);
            ulong total = await GovernanceSession.Run(() => session.Reader.GetTotalWeightAsync(ct)).ConfigureAwait(false);
            if (proposals.Count == 0)
            {
                context.Output.WriteLine("no proposals");
                return 0;
            }

            context.Output.WriteLine($"{"ID",4}  {"KIND",-18}  {"STATUS",-8}  {"YES",5}  {"NO",5}  ARGUMENTS");
            foreach (ProposalInfo p in proposals)
            {
                context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.Id,4}  {GovFormat.Kind(p.Kind),-18}  {GovFormat.Status(p.Status),-8}  {p.YesWeight,2}/{total,-2}  {p.NoWeight,5}  {GovFormat.Arguments(p)}"));
            }

            return 0;
        }));
        return list;
    }

    private static Command BuildShow(CommandContext context)
    {
        var dir = GovernanceOptions.Directory();
        var id = new Argument<ulong>("id") { Description = "The proposal id." };
        var show = new Command("show", "Show one proposal with every member's vote.") { id, dir };
        show.SetAction((parse, ct) => NodeCommands.RunGuardedAsync(context, async () =>
        {
            using GovernanceSession session = await GovernanceSession.OpenAsync(parse.GetValue(dir)!.FullName, ct).ConfigureAwait(false);
            ulong proposalId = parse.GetValue(id);
            ulong count = await GovernanceSession.Run(() => session.Reader.GetProposalCountAsync(ct)).ConfigureAwait(false);
            if (proposalId == 0 || proposalId > count)
            {
                throw new CliException($"there is no proposal {proposalId.ToString(CultureInfo.InvariantCulture)} (proposals run from 1 to {count.ToString(CultureInfo.InvariantCulture)})");
            }

            ProposalInfo p = await GovernanceSession.Run(() => session.Reader.GetProposalAsync(proposalId, ct)).ConfigureAwait(false);
            ulong total = await GovernanceSession.Run(() => session.Reader.GetTotalWeightAsync(ct)).ConfigureAwait(false);
            ThresholdInfo threshold = await GovernanceSession.Run(() => session.Reader.GetThresholdAsync(ct)).ConfigureAwait(false);
            string? proposer = await GovernanceSession.Run(() => session.Reader.GetMemberOfAsync(p.Proposer, ct)).ConfigureAwait(false);
            TextWriter o = context.Output;
            o.WriteLine($"proposal   {p.Id}");
            o.WriteLine($"kind       {GovFormat.Kind(p.Kind)} ({(byte)p.Kind})");
            o.WriteLine($"arguments  {GovFormat.Arguments(p)}");
            o.WriteLine($"status     {GovFormat.Status(p.Status)}");
            o.WriteLine($"proposer   {p.Proposer} ({proposer ?? "no longer a member's admin"})");
            o.WriteLine($"created    block {p.CreatedAt}, expires after block {p.ExpiresAt}");
            o.WriteLine($"tally      yes {p.YesWeight}, no {p.NoWeight} of total {total}; passes when yes is more than {threshold} of the total");
            foreach (MemberVote vote in p.Votes)
            {
                o.WriteLine($"  {vote.Member,-16} {vote.Vote switch { ProposalVote.Yes => "yes", ProposalVote.No => "no", _ => "-" }}");
            }

            return 0;
        }));
        return show;
    }

    private static Command BuildPropose(CommandContext context)
    {
        var dir = GovernanceOptions.Directory();
        var org = GovernanceOptions.Org("The member organisation whose admin key (orgs/<org>/admin.key) proposes; proposing counts as its yes vote.", required: true);
        var kind = new Argument<string>("kind") { Description = "What to change: " + string.Join("; ", ProposalParser.Kinds.Select(k => k.Kind + " " + k.Usage)) + "." };
        var values = new Argument<string[]>("values") { Arity = ArgumentArity.ZeroOrMore, Description = "The values the kind takes." };
        var fingerprint = new Option<string?>("--fingerprint") { Description = "revoke-certificate: the certificate's SHA-256 fingerprint (instead of the FINGERPRINT value)." };
        var reason = new Option<string?>("--reason") { Description = "revoke-certificate: why (at most 256 bytes; instead of the REASON value)." };
        var propose = new Command("propose", "Propose a change; the proposer's member votes yes.") { kind, values, org, dir, fingerprint, reason };
        propose.SetAction((parse, ct) => NodeCommands.RunGuardedAsync(context, async () =>
        {
            string kindText = parse.GetValue(kind)!;
            var call = ProposalParser.Parse(kindText, RevocationValues(kindText, parse.GetValue(values) ?? [], parse.GetValue(fingerprint), parse.GetValue(reason)));
            using GovernanceSession session = await GovernanceSession.OpenAsync(parse.GetValue(dir)!.FullName, ct).ConfigureAwait(false);
            string proposer = parse.GetValue(org)!;
            GovernanceClient governance = session.As(proposer);
            ProposalOutcome outcome = await GovernanceSession.Run(() => call(governance, ct)).ConfigureAwait(false);
            await WriteOutcomeAsync(context, session, proposer + " proposes " + kindText, outcome, ct).ConfigureAwait(false);
            return 0;
        }));
        return propose;
    }

    // --fingerprint and --reason spell revoke-certificate's values as options; they name no other kind's values.
    private static string[] RevocationValues(string kind, string[] values, string? fingerprint, string? reason)
    {
        if (fingerprint is null && reason is null)
        {
            return values;
        }

        if (kind != "revoke-certificate")
        {
            throw new CliException($"--fingerprint and --reason belong to revoke-certificate, not to {kind}");
        }

        if (values.Length != 0)
        {
            throw new CliException("give the certificate fingerprint and reason either as values or as --fingerprint and --reason, not both");
        }

        return fingerprint is null
            ? throw new CliException("gov propose revoke-certificate --reason needs --fingerprint too")
            : reason is null ? [fingerprint] : [fingerprint, reason];
    }

    private static Command BuildVote(CommandContext context)
    {
        var dir = GovernanceOptions.Directory();
        var org = GovernanceOptions.Org("The member organisation whose admin key votes.", required: true);
        var id = new Argument<ulong>("id") { Description = "The proposal id." };
        var against = new Option<bool>("--against") { Description = "Vote no (default: yes)." };
        var vote = new Command("vote", "Vote on a proposal for a member; the vote that makes it pass executes it.") { id, org, against, dir };
        vote.SetAction((parse, ct) => NodeCommands.RunGuardedAsync(context, async () =>
        {
            using GovernanceSession session = await GovernanceSession.OpenAsync(parse.GetValue(dir)!.FullName, ct).ConfigureAwait(false);
            string member = parse.GetValue(org)!;
            bool support = !parse.GetValue(against);
            GovernanceClient governance = session.As(member);
            ProposalOutcome outcome = await GovernanceSession.Run(() => governance.VoteAsync(parse.GetValue(id), support, ct)).ConfigureAwait(false);
            await WriteOutcomeAsync(context, session, member + " votes " + (support ? "yes" : "no"), outcome, ct).ConfigureAwait(false);
            return 0;
        }));
        return vote;
    }

    private static Command BuildExecute(CommandContext context)
    {
        var dir = GovernanceOptions.Directory();
        var org = GovernanceOptions.Org("The member organisation whose admin key sends the transaction.", required: true);
        var id = new Argument<ulong>("id") { Description = "The proposal id." };
        var execute = new Command("execute", "Execute an open proposal that passes without a new vote (after a weight or threshold change).") { id, org, dir };
        execute.SetAction((parse, ct) => NodeCommands.RunGuardedAsync(context, async () =>
        {
            using GovernanceSession session = await GovernanceSession.OpenAsync(parse.GetValue(dir)!.FullName, ct).ConfigureAwait(false);
            string member = parse.GetValue(org)!;
            GovernanceClient governance = session.As(member);
            ProposalOutcome outcome = await GovernanceSession.Run(() => governance.ExecuteAsync(parse.GetValue(id), ct)).ConfigureAwait(false);
            await WriteOutcomeAsync(context, session, member + " executes", outcome, ct).ConfigureAwait(false);
            return 0;
        }));
        return execute;
    }

    private static async Task WriteOutcomeAsync(CommandContext context, GovernanceSession session, string what, ProposalOutcome outcome, CancellationToken ct)
    {
        ProposalInfo p = await GovernanceSession.Run(() => session.Reader.GetProposalAsync(outcome.ProposalId, ct)).ConfigureAwait(false);
        ulong total = await GovernanceSession.Run(() => session.Reader.GetTotalWeightAsync(ct)).ConfigureAwait(false);
        context.Output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{what}: proposal {outcome.ProposalId} ({GovFormat.Kind(p.Kind)}) is {GovFormat.Status(p.Status)}, yes {p.YesWeight} no {p.NoWeight} of {total} (block {outcome.Receipt.BlockNumber})"));
        if (outcome.Status == ProposalStatus.Failed)
        {
            context.Output.WriteLine($"the change could not be applied: {outcome.FailureReason}");
        }
    }
}
