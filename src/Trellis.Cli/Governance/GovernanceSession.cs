using System.Globalization;
using Trellis.Cli.Network;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Governance;
using Trellis.Sdk;
using Trellis.Sdk.Governance;

namespace Trellis.Cli.Governance;

/// <summary>
/// A network directory opened for governance: its files, the first node that answers JSON-RPC, and the admin keys
/// of its organisations (orgs/&lt;org&gt;/admin.key), each turned into a <see cref="GovernanceClient"/> on demand.
/// </summary>
internal sealed class GovernanceSession : IDisposable
{
    private readonly Dictionary<string, Signer> _signers = new(StringComparer.Ordinal);

    private GovernanceSession(NetworkLayout layout, NetworkManifest manifest, ChainConfig chain, NetworkNode endpoint, TrellisClient client)
    {
        Layout = layout;
        Manifest = manifest;
        Chain = chain;
        Endpoint = endpoint;
        Client = client;
        Reader = new GovernanceClient(client) { ReceiptTimeout = ReceiptTimeout };
    }

    /// <summary>How long a governance transaction may wait for its receipt.</summary>
    public static TimeSpan ReceiptTimeout { get; } = TimeSpan.FromSeconds(60);

    public NetworkLayout Layout { get; }

    public NetworkManifest Manifest { get; set; }

    public ChainConfig Chain { get; }

    public ICryptoSuite Suite => Chain.Suite;

    /// <summary>The node transactions and calls go to.</summary>
    public NetworkNode Endpoint { get; }

    public TrellisClient Client { get; }

    /// <summary>Read-only governance access.</summary>
    public GovernanceClient Reader { get; }

    /// <summary>Opens <paramref name="directory"/> and finds a node that answers.</summary>
    /// <exception cref="CliException">The directory holds no network, or none of its nodes answers.</exception>
    public static async Task<GovernanceSession> OpenAsync(string directory, CancellationToken cancellationToken)
    {
        var layout = new NetworkLayout(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
        (NetworkManifest manifest, ChainConfig chain) = NetworkDirectory.Open(layout);
        using var status = new NodeStatusClient(TimeSpan.FromSeconds(2));
        foreach (NetworkNode node in manifest.Nodes)
        {
            if (await status.AnswersAsync(node, cancellationToken).ConfigureAwait(false))
            {
                var client = new TrellisClient(node.Rpc, new TrellisClientOptions { ReceiptPollInterval = TimeSpan.FromMilliseconds(100) });
                return new GovernanceSession(layout, manifest, chain, node, client);
            }
        }

        throw new CliException($"the network in {layout.Directory} is not running: none of its {manifest.Nodes.Count.ToString(CultureInfo.InvariantCulture)} nodes answers JSON-RPC ('trellis up --dir {layout.Directory}' starts it)");
    }

    /// <summary>A governance client signing with <paramref name="org"/>'s admin key.</summary>
    /// <exception cref="CliException">The directory has no admin key for that organisation.</exception>
    public GovernanceClient As(string org) => Reader.WithAdmin(AdminSigner(org));

    /// <summary>The admin account of <paramref name="org"/> in this directory.</summary>
    public Address AdminAddress(string org) => AdminSigner(org).Address;

    /// <summary>True when this directory holds <paramref name="org"/>'s admin key.</summary>
    /// <summary>
    /// Commits blocks until the head reaches <paramref name="height"/>: the engines build a block only when there are
    /// transactions, so on an idle chain a registry change waiting for its activation height would never take effect.
    /// Each nudge is a transfer of zero from <paramref name="org"/>'s admin account to itself. Returns the head reached.
    /// </summary>
    public async Task<ulong> AdvanceToAsync(ulong height, string org, CancellationToken cancellationToken)
    {
        ulong head = await Run(() => Client.GetBlockNumberAsync(cancellationToken)).ConfigureAwait(false);
        Signer signer = AdminSigner(org);
        for (int attempt = 0; head < height && attempt < 16; attempt++)
        {
            await Run(() => signer.SendAndWaitAsync(signer.Address, ReadOnlyMemory<byte>.Empty, default, ReceiptTimeout, 21_000, cancellationToken)).ConfigureAwait(false);
            head = await Run(() => Client.GetBlockNumberAsync(cancellationToken)).ConfigureAwait(false);
        }

        return head;
    }

    public bool HasAdminKey(string org) => NetworkManifest.IsSafeName(org) && File.Exists(AdminKeyFile(org));

    private string AdminKeyFile(string org) => Path.Combine(Layout.OrgDirectory(org), "admin.key");

    private Signer AdminSigner(string org)
    {
        if (_signers.TryGetValue(org, out Signer? signer))
        {
            return signer;
        }

        if (!HasAdminKey(org))
        {
            throw new CliException($"unknown organisation '{org}': {AdminKeyFile(org)} does not exist (organisations here: {string.Join(", ", LocalOrgs())})");
        }

        string pem = File.ReadAllText(AdminKeyFile(org));
        PrivateKey key;
        try
        {
            (CurveKind curve, byte[] bytes) = KeyEncoding.ImportPrivateKeyPem(pem);
            if (curve != Suite.Curve)
            {
                throw new CliException($"{AdminKeyFile(org)} holds a {curve} key, but the chain's {Suite.Name} suite signs with {Suite.Curve}");
            }

            key = Suite.ImportPrivateKey(bytes);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new CliException($"{AdminKeyFile(org)} is not a usable private key: {e.Message}", e);
        }

        signer = new Signer(Client, new Wallet(Suite, key));
        _signers[org] = signer;
        return signer;
    }

    /// <summary>The organisations with a directory under orgs/, sorted.</summary>
    public IReadOnlyList<string> LocalOrgs()
    {
        string orgs = Path.Combine(Layout.Directory, "orgs");
        if (!Directory.Exists(orgs))
        {
            return [];
        }

        var names = new List<string>();
        foreach (string path in Directory.EnumerateDirectories(orgs))
        {
            names.Add(Path.GetFileName(path));
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>
    /// Votes yes with every other member whose admin key is here, in committee order, until the proposal executes;
    /// prints each vote. Returns the last outcome.
    /// </summary>
    /// <exception cref="CliException">The proposal failed, was rejected, or is still short of the threshold after every vote.</exception>
    public async Task<ProposalOutcome> VoteUntilPassedAsync(TextWriter output, ProposalOutcome proposed, string proposer, CancellationToken cancellationToken)
    {
        ProposalOutcome outcome = proposed;
        ThresholdInfo threshold = await Reader.GetThresholdAsync(cancellationToken).ConfigureAwait(false);
        ulong total = await Reader.GetTotalWeightAsync(cancellationToken).ConfigureAwait(false);
        if (outcome.Status == ProposalStatus.Open)
        {
            foreach (MemberInfo member in await Reader.GetMembersAsync(cancellationToken).ConfigureAwait(false))
            {
                if (member.Name == proposer || !HasAdminKey(member.Name))
                {
                    continue;
                }

                if (await Reader.GetVoteAsync(outcome.ProposalId, member.Name, cancellationToken).ConfigureAwait(false) != ProposalVote.None)
                {
                    continue;
                }

                outcome = await Run(() => As(member.Name).VoteAsync(outcome.ProposalId, true, cancellationToken)).ConfigureAwait(false);
                output.WriteLine($"{member.Name} votes yes on proposal {outcome.ProposalId}: yes {outcome.YesWeight} of {total} (passes above {threshold}) -> {GovFormat.Status(outcome.Status)}");
                output.Flush();
                if (outcome.Status != ProposalStatus.Open)
                {
                    break;
                }
            }
        }

        return EnsureExecuted(outcome, total, threshold);
    }

    /// <summary>Turns a proposal that did not execute into a one-line error.</summary>
    public static ProposalOutcome EnsureExecuted(ProposalOutcome outcome, ulong total, ThresholdInfo threshold) => outcome.Status switch
    {
        ProposalStatus.Executed => outcome,
        ProposalStatus.Failed => throw new CliException($"proposal {outcome.ProposalId} passed but failed to apply: {outcome.FailureReason}"),
        ProposalStatus.Rejected => throw new CliException($"proposal {outcome.ProposalId} was rejected"),
        _ => throw new CliException($"proposal {outcome.ProposalId} did not reach the threshold: yes weight {outcome.YesWeight} of total {total} is not more than {threshold} (this directory holds no more member admin keys to vote with)"),
    };

    /// <summary>Runs a governance call, turning a refusal into a one-line error with the contract's reason.</summary>
    public static async Task<T> Run<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (GovernanceException e)
        {
            throw new CliException("reverted: " + e.Reason, e);
        }
        catch (TrellisRpcException e)
        {
            throw new CliException(e.Message, e);
        }
        catch (TimeoutException e)
        {
            throw new CliException($"no receipt: {e.Message} (is the network committing blocks? 'trellis status' shows it)", e);
        }
    }

    public void Dispose()
    {
        foreach (Signer signer in _signers.Values)
        {
            signer.Dispose();
        }

        Client.Dispose();
    }
}
