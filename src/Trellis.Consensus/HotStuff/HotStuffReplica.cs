using Trellis.Consensus.HotStuff.Messages;
using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.Consensus.HotStuff;

/// <summary>
/// One chained-HotStuff validator as an event-driven state machine (Yin et al. 2019, Algorithms 3–5). It owns no
/// thread, timer or socket: the driver (the simulator, later the node) feeds it messages and clock ticks, and sends
/// the messages it returns. Votes go only to the next view's leader, which forms the QC and carries it in its own
/// proposal, so a view costs O(n) messages. Every proposal is executed before the vote; safety data is saved
/// through <see cref="ISafetyStorage"/> before any vote is returned. Not thread-safe: one caller at a time.
/// </summary>
public sealed class HotStuffReplica
{
    private const int MaxPendingProposals = 64;
    private const int MaxOrphans = 1024;
    private const long FutureViewWindow = 1024;

    private readonly ICryptoSuite _suite;
    private readonly ValidatorSet _validators;
    private readonly int _self;
    private readonly PrivateKey _key;
    private readonly HotStuffOptions _options;
    private readonly ISafetyStorage _storage;
    private readonly IHotStuffExecutor _executor;
    private readonly IPayloadSource _payloads;
    private readonly SafetyRules _rules;
    private readonly BlockTree _tree;
    private readonly Dictionary<(long View, Hash256 Hash), QuorumCertificate> _validQcs = [];
    private readonly Dictionary<(long View, Hash256 Hash), VoteSet> _votes = [];
    private readonly Dictionary<long, TimeoutSet> _timeouts = [];
    private readonly Dictionary<Hash256, List<HotStuffBlock>> _orphans = [];
    private readonly List<(int From, ProposalMessage Proposal)> _pendingProposals = [];
    private readonly Dictionary<Hash256, FetchState> _fetches = [];
    private readonly HashSet<Hash256> _persisted = [];
    private Pacemaker? _pacemaker;
    private SafetyData _safety;
    private HotStuffBlock _committed;
    private TimeoutCertificate? _entryTc;
    private long _lastProposedView;
    private int _orphanCount;
    private long _localTimeoutView;
    private int _localTimeouts;

    /// <summary>
    /// Creates validator <paramref name="self"/>. After a restart, pass the same <paramref name="storage"/> and the
    /// committed chain (genesis first); the replica resumes from its saved safety data and last committed block.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not validator <paramref name="self"/>'s, or the chain does not start at genesis or does not link.</exception>
    public HotStuffReplica(
        ICryptoSuite suite,
        ValidatorSet validators,
        int self,
        PrivateKey key,
        HotStuffBlock genesis,
        HotStuffOptions options,
        ISafetyStorage storage,
        IHotStuffExecutor executor,
        IPayloadSource payloads,
        IReadOnlyList<HotStuffBlock>? committedChain = null)
        : this(suite, validators, self, key, genesis, options, storage, executor, payloads, committedChain, null, null, null)
    {
    }

    /// <summary>
    /// Creates validator <paramref name="self"/> resuming from a committed block without its ancestors (a node
    /// restarting on a long chain): <paramref name="committedRoot"/> is the last committed block and
    /// <paramref name="committedRootQc"/> the QC that certifies it. Saved safety data below that QC is raised to it.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not validator <paramref name="self"/>'s, or the QC is not a valid certificate of the root.</exception>
    public HotStuffReplica(
        ICryptoSuite suite,
        ValidatorSet validators,
        int self,
        PrivateKey key,
        HotStuffBlock genesis,
        HotStuffOptions options,
        ISafetyStorage storage,
        IHotStuffExecutor executor,
        IPayloadSource payloads,
        HotStuffBlock committedRoot,
        QuorumCertificate committedRootQc)
        : this(suite, validators, self, key, genesis, options, storage, executor, payloads, null, committedRoot ?? throw new ArgumentNullException(nameof(committedRoot)), committedRootQc ?? throw new ArgumentNullException(nameof(committedRootQc)), null)
    {
    }

    /// <summary>
    /// Creates validator <paramref name="self"/> of an epoch whose set is <paramref name="validators"/> and whose
    /// signatures use <paramref name="signingDomain"/> (<see cref="SigningMessages.EpochDomain"/>), resuming from the
    /// committed block <paramref name="committedRoot"/>. The root QC is taken as given (the caller committed the root
    /// after checking it; at an epoch switch it was signed by the previous set, possibly without its signatures):
    /// proposals justified by a QC with the root's view and hash are accepted as extending the root.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not validator <paramref name="self"/>'s, or the QC does not name the root.</exception>
    public HotStuffReplica(
        ICryptoSuite suite,
        ValidatorSet validators,
        int self,
        PrivateKey key,
        HotStuffBlock genesis,
        HotStuffOptions options,
        ISafetyStorage storage,
        IHotStuffExecutor executor,
        IPayloadSource payloads,
        HotStuffBlock committedRoot,
        QuorumCertificate committedRootQc,
        Hash256 signingDomain)
        : this(suite, validators, self, key, genesis, options, storage, executor, payloads, null, committedRoot ?? throw new ArgumentNullException(nameof(committedRoot)), committedRootQc ?? throw new ArgumentNullException(nameof(committedRootQc)), signingDomain)
    {
    }

    private HotStuffReplica(
        ICryptoSuite suite,
        ValidatorSet validators,
        int self,
        PrivateKey key,
        HotStuffBlock genesis,
        HotStuffOptions options,
        ISafetyStorage storage,
        IHotStuffExecutor executor,
        IPayloadSource payloads,
        IReadOnlyList<HotStuffBlock>? committedChain,
        HotStuffBlock? committedRoot,
        QuorumCertificate? committedRootQc,
        Hash256? signingDomain)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(validators);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(genesis);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(payloads);
        options.Validate();
        if (!validators.Contains(self))
        {
            throw new ArgumentException($"validator index {self} is not in [0, {validators.Count})", nameof(self));
        }

        if (!suite.DerivePublicKey(key).Equals(validators[self]))
        {
            throw new ArgumentException($"the private key does not belong to validator {self}", nameof(key));
        }

        _suite = suite;
        _validators = validators;
        _self = self;
        _key = key;
        _options = options;
        _storage = storage;
        _executor = executor;
        _payloads = payloads;
        _rules = signingDomain is Hash256 domain ? new SafetyRules(suite, validators, genesis, domain) : new SafetyRules(suite, validators, genesis);
        var root = committedRoot ?? genesis;
        if (committedRoot is not null && !committedRoot.IsGenesis)
        {
            if (committedRootQc!.BlockHash != committedRoot.Hash || committedRootQc.View != committedRoot.View)
            {
                throw new ArgumentException($"the root QC {committedRootQc} does not certify the committed root {committedRoot}", nameof(committedRootQc));
            }

            var valid = signingDomain is null ? _rules.ValidateQc(committedRootQc) : SafetyCheck.Pass;
            if (!valid.Passed)
            {
                throw new ArgumentException($"the root QC is invalid: {valid.Reason}", nameof(committedRootQc));
            }
        }

        _tree = new BlockTree(root);
        _committed = root;
        if (committedChain is not null)
        {
            if (committedChain.Count == 0 || committedChain[0].Hash != genesis.Hash)
            {
                throw new ArgumentException("the committed chain must start with the genesis block", nameof(committedChain));
            }

            for (int i = 1; i < committedChain.Count; i++)
            {
                var added = _tree.TryAdd(committedChain[i]);
                if (!added.Passed)
                {
                    throw new ArgumentException($"committed block {i} does not link: {added.Reason}", nameof(committedChain));
                }

                _committed = committedChain[i];
            }
        }

        foreach (var block in _tree.PathFrom(root, _committed))
        {
            _persisted.Add(block.Hash);
        }

        _persisted.Add(root.Hash);

        // Blocks saved before a crash (those this validator voted on and their ancestors) come back, so the QCs
        // it helped form can still be extended.
        var saved = new List<HotStuffBlock>(storage.LoadBlocks());
        saved.Sort((a, b) => a.Height.CompareTo(b.Height));
        foreach (var block in saved)
        {
            if (block.Height > root.Height && block.HasValidHash(suite) && _tree.TryAdd(block).Passed)
            {
                _persisted.Add(block.Hash);
            }
        }

        _safety = storage.Load() ?? SafetyData.Initial(genesis);
        if (committedRootQc is not null && !committedRoot!.IsGenesis)
        {
            // The committed root is final: a lock or high QC below it is obsolete, and the first view worth being
            // in is after it. The last voted view is never lowered.
            _validQcs[(committedRootQc.View, committedRootQc.BlockHash)] = committedRootQc;
            _safety = _safety with
            {
                LockedQc = SafetyRules.Higher(_safety.LockedQc, committedRootQc),
                HighQc = SafetyRules.Higher(_safety.HighQc, committedRootQc),
            };
        }

        _lastProposedView = _safety.LastVotedView;
    }

    /// <summary>This validator's index.</summary>
    public int Index => _self;

    /// <summary>The view the pacemaker is in (0 before <see cref="Start"/>).</summary>
    public long CurrentView => _pacemaker?.CurrentView ?? 0;

    /// <summary>The newest committed block.</summary>
    public HotStuffBlock CommittedBlock => _committed;

    /// <summary>The in-memory safety state (what was last saved, plus lock and high QC updates since).</summary>
    public SafetyData Safety => _safety;

    /// <summary>The pacemaker (null before <see cref="Start"/>).</summary>
    public Pacemaker? Pacemaker => _pacemaker;

    /// <summary>Messages rejected so far (invalid signature, certificate, structure, execution, or unsafe to vote).</summary>
    public int RejectedCount { get; private set; }

    /// <summary>Why the last message was rejected.</summary>
    public string? LastRejection { get; private set; }

    /// <summary>Receives a line for each notable decision, for debugging a simulation.</summary>
    public Action<string>? Trace { get; set; }

    /// <summary>Starts the pacemaker at time <paramref name="now"/>; the first leader proposes at once.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public HotStuffOutput Start(long now)
    {
        if (_pacemaker is not null)
        {
            throw new InvalidOperationException($"replica {_self} was already started");
        }

        // Resume in the view after the high QC, the last one this replica can prove it may be in. It may have voted in
        // a later view, entered by a timeout certificate it did not keep: starting there, it would time out in a view
        // the others cannot follow it into (its timeouts carry no certificate) while it ignores theirs for the earlier
        // view, and two such replicas of four stall everyone. From the earlier view it follows the others' certificates
        // as any lagging replica does; the safety rules still refuse any vote at or below the last voted view, and it
        // never proposes again in a view it proposed in.
        long view = _safety.HighQc.View + 1;
        _pacemaker = new Pacemaker(_validators, _options, view, now);
        var output = new HotStuffOutput();
        OnEnterView(now, output);
        return output;
    }

    /// <summary>Handles a message from validator <paramref name="from"/> (as authenticated by the transport).</summary>
    public HotStuffOutput Receive(int from, HotStuffMessage message, long now)
    {
        var output = new HotStuffOutput();
        if (_pacemaker is null || message is null || !_validators.Contains(from))
        {
            Reject($"message from {from} dropped: replica not started, null message or unknown sender");
            return output;
        }

        switch (message)
        {
            case ProposalMessage proposal:
                HandleProposal(from, proposal, now, output);
                break;
            case VoteMessage vote:
                HandleVote(vote, now, output);
                break;
            case TimeoutMessage timeout:
                HandleTimeout(timeout, now, output);
                break;
            case BlockRequestMessage request:
                HandleBlockRequest(from, request, output);
                break;
            case BlockResponseMessage response:
                HandleBlockResponse(from, response, now, output);
                break;
            default:
                Reject($"unknown message type {message.GetType().Name} from {from}");
                break;
        }

        return output;
    }

    /// <summary>Advances time: times out the view when its deadline passed, and retries block fetches.</summary>
    public HotStuffOutput Tick(long now)
    {
        var output = new HotStuffOutput();
        if (_pacemaker is null)
        {
            return output;
        }

        // A leader that had nothing to propose (or had to wait) when it entered the view tries again.
        if (_pacemaker.CurrentLeader == _self && CurrentView > _lastProposedView)
        {
            TryPropose(now, output);
        }

        if (_pacemaker.IsExpired(now) && !HasWork())
        {
            _pacemaker.Postpone(now);
        }

        if (_pacemaker.IsExpired(now))
        {
            long view = _pacemaker.CurrentView;
            var timeout = new TimeoutMessage(
                view,
                _self,
                _safety.HighQc,
                EntersView(_entryTc, view) ? _entryTc : null,
                _suite.Sign(_key, SigningMessages.Timeout(_rules.ChainId, view, _safety.HighQc.View)));
            TraceLine($"timeout in view {view} (high QC {_safety.HighQc.View})");
            _pacemaker.RecordLocalTimeout(now);
            output.Messages.Add(new OutgoingMessage(OutgoingMessage.Broadcast, timeout));
            HandleTimeout(timeout, now, output);
            _localTimeouts = _localTimeoutView == view ? _localTimeouts + 1 : 1;
            _localTimeoutView = view;
            if (_pacemaker.CurrentView == view)
            {
                // Still here: no certificate yet, so the others have not all given up on the view.
                int timedOut = _timeouts.TryGetValue(view, out var set) ? set.Count : 0;
                output.Timeouts.Add(new ViewTimeout(
                    view, _pacemaker.LeaderOf(view), false, timedOut, _validators.Quorum, view, _pacemaker.LeaderOf(view),
                    _pacemaker.Deadline - now, _pacemaker.ConsecutiveFailures, _localTimeouts));
            }
        }

        RetryFetches(now, output);
        return output;
    }

    private void HandleProposal(int from, ProposalMessage proposal, long now, HotStuffOutput output)
    {
        var block = proposal.Block;
        if (block is null || proposal.Signature is null || block.Justify is null || block.View < 1)
        {
            Reject($"malformed proposal from {from}");
            return;
        }

        int leader = _validators.LeaderOf(block.View);
        if (!_rules.VerifyProposal(leader, block.View, block.Hash, proposal.Signature))
        {
            Reject($"proposal {block} from {from}: not signed by view {block.View}'s leader {leader}");
            return;
        }

        if (!block.HasValidHash(_suite))
        {
            Reject($"proposal {block} from {from}: hash does not match its fields");
            return;
        }

        var justify = CanonicalQc(block.Justify);
        if (justify is null)
        {
            return;
        }

        if (!_tree.Contains(block.ParentHash))
        {
            if (_pendingProposals.Count < MaxPendingProposals && !_pendingProposals.Exists(p => p.Proposal.Block.Hash == block.Hash))
            {
                _pendingProposals.Add((from, proposal));
            }

            RequestBlock(block.ParentHash, from, now, output);
            return;
        }

        var added = _tree.TryAdd(block);
        if (!added.Passed)
        {
            Reject($"proposal from {from}: {added.Reason}");
            return;
        }

        OnBlockAdded(block, now, output);
        if (EntersView(proposal.Tc, block.View) && block.View > CurrentView)
        {
            var tcCheck = _rules.ValidateTc(proposal.Tc);
            if (tcCheck.Passed)
            {
                EnterViewByTc(proposal.Tc, now, output);
            }
            else
            {
                Reject($"proposal {block}: {tcCheck.Reason}");
            }
        }

        TryVote(block, now, output);
    }

    private void TryVote(HotStuffBlock block, long now, HotStuffOutput output)
    {
        if (block.View != CurrentView)
        {
            TraceLine($"no vote for {block}: current view is {CurrentView}");
            return;
        }

        var check = SafetyRules.CheckVote(_safety, block, _tree);
        if (!check.Passed)
        {
            Reject($"no vote: {check.Reason}");
            return;
        }

        var parent = _tree.Find(block.ParentHash)!;
        if (!_tree.Extends(parent, _committed.Hash, _committed.View))
        {
            Reject($"no vote for {block}: its parent does not extend the committed {_committed}");
            return;
        }

        var branch = _tree.PathFrom(_committed, parent);
        if (!_executor.TryExecute(parent, branch, block.View, block.Payload, out var stateRoot, out var error))
        {
            Reject($"no vote for {block}: payload invalid: {error}");
            return;
        }

        if (stateRoot != block.StateRoot)
        {
            Reject($"no vote for {block}: executing it gives state root {stateRoot}, the proposal claims {block.StateRoot}");
            return;
        }

        // Persist before the vote leaves: a validator that restarts must not vote again in this view, and must
        // still hold the block (and its uncommitted ancestors) that a QC formed from its vote will name.
        PersistBranch(block);
        _safety = _safety with { LastVotedView = block.View };
        _storage.Save(_safety);
        var vote = new VoteMessage(block.View, block.Hash, _self, _suite.Sign(_key, SigningMessages.Vote(_rules.ChainId, block.View, block.Hash)));
        int nextLeader = _validators.LeaderOf(block.View + 1);
        TraceLine($"vote {block} -> {nextLeader}");
        if (nextLeader == _self)
        {
            HandleVote(vote, now, output);
        }
        else
        {
            output.Messages.Add(new OutgoingMessage(nextLeader, vote));
        }
    }

    private void PersistBranch(HotStuffBlock block)
    {
        var unsaved = new List<HotStuffBlock>();
        var current = block;
        while (!_persisted.Contains(current.Hash) && current.Height > _committed.Height)
        {
            unsaved.Add(current);
            if (!_tree.TryGet(current.ParentHash, out current))
            {
                break;
            }
        }

        for (int i = unsaved.Count - 1; i >= 0; i--)
        {
            _storage.SaveBlock(unsaved[i]);
            _persisted.Add(unsaved[i].Hash);
        }
    }

    private void HandleVote(VoteMessage vote, long now, HotStuffOutput output)
    {
        if (vote.Signature is null || vote.View < 1 || _validators.LeaderOf(vote.View + 1) != _self)
        {
            Reject($"vote for view {vote.View}: this validator is not the next leader or the vote is malformed");
            return;
        }

        if (vote.View <= _safety.HighQc.View || vote.View > CurrentView + FutureViewWindow)
        {
            return;
        }

        var key = (vote.View, vote.BlockHash);
        if (!_votes.TryGetValue(key, out var set))
        {
            if (CountVoteSets(vote.View) >= 2 * _validators.Count)
            {
                Reject($"vote for view {vote.View}: too many distinct blocks voted for in that view");
                return;
            }

            set = new VoteSet(_validators.Count);
            _votes.Add(key, set);
        }

        if (set.Done || !_validators.Contains(vote.Validator) || set.Has(vote.Validator))
        {
            return;
        }

        if (!_rules.VerifyVote(vote.Validator, vote.View, vote.BlockHash, vote.Signature))
        {
            Reject($"vote for view {vote.View} from validator {vote.Validator}: invalid signature");
            return;
        }

        set.Add(new ValidatorSignature(vote.Validator, vote.Signature));
        if (set.Count < _validators.Quorum)
        {
            return;
        }

        set.Done = true;
        var qc = new QuorumCertificate(vote.View, vote.BlockHash, set.Signatures.ToArray());
        _validQcs[key] = qc;
        TraceLine($"formed {qc}");
        OnQc(qc, now, output);
        PruneVotes(qc.View);
    }

    private void HandleTimeout(TimeoutMessage timeout, long now, HotStuffOutput output)
    {
        if (timeout.Signature is null || timeout.HighQc is null || timeout.View < 1 || !_validators.Contains(timeout.Validator) ||
            timeout.HighQc.View >= timeout.View)
        {
            Reject($"malformed timeout for view {timeout.View} from validator {timeout.Validator}");
            return;
        }

        if (!_rules.VerifyTimeout(timeout.Validator, timeout.View, timeout.HighQc.View, timeout.Signature))
        {
            Reject($"timeout for view {timeout.View} from validator {timeout.Validator}: invalid signature");
            return;
        }

        var highQc = CanonicalQc(timeout.HighQc);
        if (highQc is null)
        {
            return;
        }

        OnQc(highQc, now, output);
        if (EntersView(timeout.EntryTc, timeout.View) && timeout.View > CurrentView)
        {
            var check = _rules.ValidateTc(timeout.EntryTc);
            if (check.Passed)
            {
                EnterViewByTc(timeout.EntryTc, now, output);
            }
            else
            {
                Reject($"timeout from validator {timeout.Validator}: {check.Reason}");
            }
        }

        // Kept while a certificate of its view would still move this validator on: with several views per leader a TC
        // of the term's first view leads past the second, which this validator may have entered by a QC.
        if (_validators.ViewAfterTimeout(timeout.View) <= CurrentView || timeout.View > CurrentView + FutureViewWindow)
        {
            return;
        }

        if (!_timeouts.TryGetValue(timeout.View, out var set))
        {
            set = new TimeoutSet(_validators.Count);
            _timeouts.Add(timeout.View, set);
        }

        if (set.Has(timeout.Validator))
        {
            return;
        }

        set.Add(new TimeoutSignature(timeout.Validator, timeout.HighQc.View, timeout.Signature));
        if (set.Count >= _validators.Quorum)
        {
            var tc = new TimeoutCertificate(timeout.View, set.Signatures.ToArray());
            TraceLine($"formed TC for view {tc.View}");
            EnterViewByTc(tc, now, output);
        }
    }

    private void HandleBlockRequest(int from, BlockRequestMessage request, HotStuffOutput output)
    {
        int limit = Math.Min(Math.Max(request.MaxCount, 1), _options.MaxBlocksPerResponse);
        var blocks = new List<HotStuffBlock>();
        var current = _tree.Find(request.Hash);
        while (current is not null && blocks.Count < limit && !current.IsGenesis)
        {
            blocks.Add(current);
            current = _tree.Find(current.ParentHash);
        }

        if (blocks.Count > 0)
        {
            output.Messages.Add(new OutgoingMessage(from, new BlockResponseMessage(blocks)));
        }
    }

    private void HandleBlockResponse(int from, BlockResponseMessage response, long now, HotStuffOutput output)
    {
        if (response.Blocks is null || response.Blocks.Count > _options.MaxBlocksPerResponse)
        {
            Reject($"block response from {from}: missing or more than {_options.MaxBlocksPerResponse} blocks");
            return;
        }

        // Oldest first, so each block's parent is added before it.
        var blocks = new List<HotStuffBlock>(response.Blocks.Count);
        foreach (var block in response.Blocks)
        {
            if (block is null || block.Justify is null || block.IsGenesis || _tree.Contains(block.Hash))
            {
                continue;
            }

            if (!block.HasValidHash(_suite))
            {
                Reject($"block response from {from}: {block} hash does not match its fields");
                return;
            }

            blocks.Add(block);
        }

        blocks.Sort((a, b) => a.Height.CompareTo(b.Height));
        foreach (var block in blocks)
        {
            if (CanonicalQc(block.Justify) is null)
            {
                return;
            }

            if (_tree.Contains(block.ParentHash))
            {
                AddFetched(block, now, output);
            }
            else if (_orphanCount < MaxOrphans)
            {
                if (!_orphans.TryGetValue(block.ParentHash, out var list))
                {
                    list = [];
                    _orphans.Add(block.ParentHash, list);
                }

                if (!list.Exists(b => b.Hash == block.Hash))
                {
                    list.Add(block);
                    _orphanCount++;
                }
            }
        }

        // Whatever is still missing underneath is requested from the same validator.
        if (blocks.Count > 0 && !_tree.Contains(blocks[0].ParentHash))
        {
            RequestBlock(blocks[0].ParentHash, from, now, output);
        }

        RetryPending(now, output);
    }

    private void AddFetched(HotStuffBlock block, long now, HotStuffOutput output)
    {
        var added = _tree.TryAdd(block);
        if (!added.Passed)
        {
            Reject($"fetched block rejected: {added.Reason}");
            return;
        }

        OnBlockAdded(block, now, output);
    }

    /// <summary>The paper's update(b*): adopt the block's QC, move the lock on a two-chain, commit on a three-chain.</summary>
    private void OnBlockAdded(HotStuffBlock block, long now, HotStuffOutput output)
    {
        _fetches.Remove(block.Hash);
        OnQc(block.Justify, now, output);
        var newLock = SafetyRules.FindNewLock(_safety.LockedQc, block, _tree);
        if (newLock is not null)
        {
            _safety = _safety with { LockedQc = newLock };
        }

        var commit = SafetyRules.FindCommit(block, _tree);
        if (commit is not null && commit.Height > _committed.Height)
        {
            if (!_tree.Extends(commit, _committed.Hash, _committed.View))
            {
                throw new InvalidOperationException(
                    $"safety violated at validator {_self}: the three-chain commits {commit}, which conflicts with the committed {_committed}");
            }

            var path = _tree.PathFrom(_committed, commit);
            output.Committed.AddRange(path);
            for (int i = 0; i + 1 < path.Count; i++)
            {
                output.CommittedQcs.Add(path[i + 1].Justify);
            }

            output.CommittedQcs.Add(ChildOnPath(block, commit).Justify);
            _committed = commit;
            TraceLine($"commit up to {commit}");
            PruneCommitted();
        }

        if (_orphans.Remove(block.Hash, out var children))
        {
            _orphanCount -= children.Count;
            foreach (var child in children)
            {
                AddFetched(child, now, output);
            }
        }
    }

    /// <summary>The block on <paramref name="descendant"/>'s ancestry whose parent is <paramref name="ancestor"/>.</summary>
    private HotStuffBlock ChildOnPath(HotStuffBlock descendant, HotStuffBlock ancestor)
    {
        var current = descendant;
        while (current.ParentHash != ancestor.Hash)
        {
            current = _tree.Find(current.ParentHash) ?? throw new InvalidOperationException($"{descendant} does not descend from {ancestor} in the tree");
        }

        return current;
    }

    private void PruneCommitted()
    {
        int keep = _options.CommittedBlocksRetained;
        if (keep == 0 || _committed.Height - _tree.Root.Height <= 2L * keep)
        {
            return;
        }

        // Prune in steps of `keep` blocks so the walk and the rebuild are amortised.
        var newRoot = _committed;
        for (int i = 0; i < keep && !newRoot.IsGenesis; i++)
        {
            newRoot = _tree.Find(newRoot.ParentHash) ?? newRoot;
        }

        _tree.Prune(newRoot);
        _persisted.RemoveWhere(hash => !_tree.Contains(hash));
        List<(long, Hash256)>? stale = null;
        foreach (var key in _validQcs.Keys)
        {
            if (key.View < newRoot.View)
            {
                (stale ??= []).Add(key);
            }
        }

        if (stale is not null)
        {
            foreach (var key in stale)
            {
                _validQcs.Remove(key);
            }
        }
    }

    /// <summary>
    /// Whether the view timer should run: the payload source reports work on the branch up to the high QC, or another
    /// validator has already timed out in this view (so an idle validator joins a timeout certificate it needs).
    /// </summary>
    private bool HasWork()
    {
        if (_timeouts.TryGetValue(CurrentView, out var set) && set.Count > 0)
        {
            return true;
        }

        var top = _tree.Find(_safety.HighQc.BlockHash);
        if (top is null || !_tree.Extends(top, _committed.Hash, _committed.View) || top.Height < _committed.Height)
        {
            // The certified block is missing or off the committed chain: something is in progress.
            return true;
        }

        return _payloads.HasWork(_tree.PathFrom(_committed, top));
    }

    // Whether tc is the certificate that moves validators into view (the first view after the timed-out leader's term).
    private bool EntersView([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] TimeoutCertificate? tc, long view) =>
        tc is not null && tc.View >= 0 && tc.View < view && _validators.ViewAfterTimeout(tc.View) == view;

    private void OnQc(QuorumCertificate qc, long now, HotStuffOutput output)
    {
        if (qc.View > _safety.HighQc.View)
        {
            _safety = _safety with { HighQc = qc };
        }

        if (_pacemaker!.AdvanceOnQc(qc.View, now))
        {
            _entryTc = null;
            OnEnterView(now, output);
        }
    }

    private void EnterViewByTc(TimeoutCertificate tc, long now, HotStuffOutput output)
    {
        if (_pacemaker!.AdvanceOnTc(tc.View, now))
        {
            output.Timeouts.Add(new ViewTimeout(
                tc.View, _pacemaker.LeaderOf(tc.View), true, tc.Signatures.Count, _validators.Quorum, _pacemaker.CurrentView,
                _pacemaker.CurrentLeader, _pacemaker.Deadline - now, _pacemaker.ConsecutiveFailures, 0));
            _entryTc = tc;
            OnEnterView(now, output);
        }
    }

    private void OnEnterView(long now, HotStuffOutput output)
    {
        long view = _pacemaker!.CurrentView;
        TraceLine($"enter view {view}");
        PruneTimeouts(view);
        if (_pacemaker.CurrentLeader == _self && view > _lastProposedView)
        {
            TryPropose(now, output);
        }
    }

    private void TryPropose(long now, HotStuffOutput output)
    {
        long view = _pacemaker!.CurrentView;
        var highQc = _safety.HighQc;
        var parent = _tree.Find(highQc.BlockHash);
        if (parent is null)
        {
            RequestBlock(highQc.BlockHash, _validators.LeaderOf(highQc.View + 1) == _self ? (_self + 1) % _validators.Count : _validators.LeaderOf(highQc.View), now, output);
            return;
        }

        if (highQc.View != view - 1 && !EntersView(_entryTc, view))
        {
            return;
        }

        List<HotStuffBlock> branch;
        if (_tree.Extends(parent, _committed.Hash, _committed.View) && parent.Height >= _committed.Height)
        {
            branch = _tree.PathFrom(_committed, parent);
        }
        else
        {
            TraceLine($"not proposing in view {view}: high QC block {parent} does not extend the committed {_committed}");
            return;
        }

        var payload = _payloads.CreatePayload(branch);
        if (payload is null)
        {
            // Nothing to do yet (or too soon): the tick asks again while this validator leads the view.
            return;
        }

        if (!_executor.TryExecute(parent, branch, view, payload, out var stateRoot, out var error))
        {
            TraceLine($"not proposing in view {view}: own payload fails execution: {error}");
            payload = [];
            if (!_executor.TryExecute(parent, branch, view, payload, out stateRoot, out error))
            {
                return;
            }
        }

        var block = HotStuffBlock.Create(_suite, parent, view, payload, stateRoot, highQc);
        var tc = highQc.View == view - 1 ? null : _entryTc;
        var proposal = new ProposalMessage(block, tc, _suite.Sign(_key, SigningMessages.Proposal(_rules.ChainId, view, block.Hash)));
        _lastProposedView = view;
        TraceLine($"propose {block} on {highQc}");
        output.Messages.Add(new OutgoingMessage(OutgoingMessage.Broadcast, proposal));
        HandleProposal(_self, proposal, now, output);
    }

    private void RetryPending(long now, HotStuffOutput output)
    {
        bool progress = true;
        while (progress)
        {
            progress = false;
            for (int i = 0; i < _pendingProposals.Count; i++)
            {
                var (from, proposal) = _pendingProposals[i];
                if (_tree.Contains(proposal.Block.ParentHash))
                {
                    _pendingProposals.RemoveAt(i);
                    HandleProposal(from, proposal, now, output);
                    progress = true;
                    break;
                }
            }
        }

        _pendingProposals.RemoveAll(p => p.Proposal.Block.View < CurrentView - 1 && p.Proposal.Block.Height <= _committed.Height);
        if (_pacemaker!.CurrentLeader == _self && CurrentView > _lastProposedView)
        {
            TryPropose(now, output);
        }
    }

    private void RequestBlock(Hash256 hash, int peer, long now, HotStuffOutput output)
    {
        if (_tree.Contains(hash) || _fetches.ContainsKey(hash))
        {
            return;
        }

        if (peer == _self)
        {
            peer = (peer + 1) % _validators.Count;
        }

        _fetches[hash] = new FetchState(now, peer);
        output.Messages.Add(new OutgoingMessage(peer, new BlockRequestMessage(hash, _options.MaxBlocksPerResponse)));
    }

    private void RetryFetches(long now, HotStuffOutput output)
    {
        if (_fetches.Count == 0)
        {
            return;
        }

        List<Hash256>? done = null;
        foreach (var (hash, state) in _fetches)
        {
            if (_tree.Contains(hash))
            {
                (done ??= []).Add(hash);
                continue;
            }

            if (now - state.RequestedAt < _options.FetchRetryInterval)
            {
                continue;
            }

            int peer = (state.Peer + 1) % _validators.Count;
            if (peer == _self)
            {
                peer = (peer + 1) % _validators.Count;
            }

            state.RequestedAt = now;
            state.Peer = peer;
            state.Attempts++;
            output.Messages.Add(new OutgoingMessage(peer, new BlockRequestMessage(hash, _options.MaxBlocksPerResponse)));
        }

        if (done is not null)
        {
            foreach (var hash in done)
            {
                _fetches.Remove(hash);
            }
        }
    }

    /// <summary>The validated instance of a QC (so a QC is checked once), or null after recording why it is invalid.</summary>
    private QuorumCertificate? CanonicalQc(QuorumCertificate qc)
    {
        var key = (qc.View, qc.BlockHash);
        if (_validQcs.TryGetValue(key, out var known))
        {
            return known;
        }

        var check = _rules.ValidateQc(qc);
        if (!check.Passed)
        {
            Reject(check.Reason!);
            return null;
        }

        _validQcs.Add(key, qc);
        return qc;
    }

    private int CountVoteSets(long view)
    {
        int count = 0;
        foreach (var key in _votes.Keys)
        {
            if (key.View == view)
            {
                count++;
            }
        }

        return count;
    }

    private void PruneVotes(long upToView)
    {
        List<(long, Hash256)>? stale = null;
        foreach (var key in _votes.Keys)
        {
            if (key.View <= upToView)
            {
                (stale ??= []).Add(key);
            }
        }

        if (stale is not null)
        {
            foreach (var key in stale)
            {
                _votes.Remove(key);
            }
        }
    }

    private void PruneTimeouts(long currentView)
    {
        List<long>? stale = null;
        foreach (var view in _timeouts.Keys)
        {
            if (_validators.ViewAfterTimeout(view) <= currentView)
            {
                (stale ??= []).Add(view);
            }
        }

        if (stale is not null)
        {
            foreach (var view in stale)
            {
                _timeouts.Remove(view);
            }
        }
    }

    private void Reject(string reason)
    {
        RejectedCount++;
        LastRejection = reason;
        TraceLine("reject: " + reason);
    }

    private void TraceLine(string line) => Trace?.Invoke($"[{_self} v{CurrentView}] {line}");

    private sealed class VoteSet(int validators)
    {
        private readonly bool[] _seen = new bool[validators];

        public List<ValidatorSignature> Signatures { get; } = [];

        public int Count => Signatures.Count;

        public bool Done { get; set; }

        public bool Has(int validator) => _seen[validator];

        public void Add(ValidatorSignature signature)
        {
            _seen[signature.Validator] = true;
            Signatures.Add(signature);
        }
    }

    private sealed class TimeoutSet(int validators)
    {
        private readonly bool[] _seen = new bool[validators];

        public List<TimeoutSignature> Signatures { get; } = [];

        public int Count => Signatures.Count;

        public bool Has(int validator) => _seen[validator];

        public void Add(TimeoutSignature signature)
        {
            _seen[signature.Validator] = true;
            Signatures.Add(signature);
        }
    }

    private sealed class FetchState(long requestedAt, int peer)
    {
        public long RequestedAt { get; set; } = requestedAt;

        public int Peer { get; set; } = peer;

        public int Attempts { get; set; }
    }
}
