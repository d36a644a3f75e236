using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.Consensus.HotStuff;

/// <summary>
/// The safety rules of chained HotStuff (Yin, Malkhi, Reiter, Gueta, Abraham, "HotStuff: BFT Consensus with
/// Linearity and Responsiveness", PODC 2019, Algorithms 3 and 4) as functions of messages and state: what may be
/// voted for, what becomes locked, what is committed, and what makes a certificate valid. Nothing here does I/O or
/// changes state; the replica applies the results.
/// </summary>
public sealed class SafetyRules
{
    private readonly ICryptoSuite _suite;
    private readonly ValidatorSet _validators;
    private readonly Hash256 _domain;
    private readonly Hash256 _genesisQcHash;

    /// <summary>Rules for the chain whose genesis block is <paramref name="genesis"/>, signed in <paramref name="suite"/> by <paramref name="validators"/>.</summary>
    public SafetyRules(ICryptoSuite suite, ValidatorSet validators, HotStuffBlock genesis)
        : this(suite, validators, genesis, genesis?.Hash ?? throw new ArgumentNullException(nameof(genesis)))
    {
    }

    /// <summary>
    /// Rules for one epoch of the chain whose genesis block is <paramref name="genesis"/>: <paramref name="validators"/>
    /// sign in <paramref name="domain"/> (<see cref="SigningMessages.EpochDomain"/>), so their signatures count in no other epoch.
    /// </summary>
    public SafetyRules(ICryptoSuite suite, ValidatorSet validators, HotStuffBlock genesis, Hash256 domain)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(validators);
        ArgumentNullException.ThrowIfNull(genesis);
        _suite = suite;
        _validators = validators;
        _genesisQcHash = genesis.Hash;
        _domain = domain;
    }

    /// <summary>The validators whose signatures count.</summary>
    public ValidatorSet Validators => _validators;

    /// <summary>The signing domain every signed message includes: the genesis hash, or the epoch's domain.</summary>
    public Hash256 ChainId => _domain;

    /// <summary>
    /// A QC is valid when it is the genesis QC, or it has at least a quorum of signatures, each from a distinct known
    /// validator and each a valid suite signature over (view, block hash). A single bad signature invalidates it.
    /// </summary>
    public SafetyCheck ValidateQc(QuorumCertificate qc)
    {
        ArgumentNullException.ThrowIfNull(qc);
        if (qc.View == 0)
        {
            return qc.BlockHash == _genesisQcHash && qc.Signatures.Count == 0
                ? SafetyCheck.Pass
                : SafetyCheck.Fail($"a view-0 QC must be the signature-free genesis QC for {_genesisQcHash}, got {qc}");
        }

        if (qc.View < 0)
        {
            return SafetyCheck.Fail($"QC view {qc.View} is negative");
        }

        var signatures = qc.Signatures;
        var distinct = CheckSigners(signatures.Count, i => signatures[i].Validator, "QC");
        if (!distinct.Passed)
        {
            return distinct;
        }

        var message = SigningMessages.Vote(_domain, qc.View, qc.BlockHash);
        for (int i = 0; i < signatures.Count; i++)
        {
            var signature = signatures[i];
            if (!_suite.Verify(_validators[signature.Validator], message, signature.Signature))
            {
                return SafetyCheck.Fail($"QC for view {qc.View} carries an invalid signature from validator {signature.Validator}");
            }
        }

        return SafetyCheck.Pass;
    }

    /// <summary>A TC is valid when a quorum of distinct known validators signed a timeout for its view, each with a valid signature.</summary>
    public SafetyCheck ValidateTc(TimeoutCertificate tc)
    {
        ArgumentNullException.ThrowIfNull(tc);
        if (tc.View <= 0)
        {
            return SafetyCheck.Fail($"TC view must be positive, got {tc.View}");
        }

        var signatures = tc.Signatures;
        var distinct = CheckSigners(signatures.Count, i => signatures[i].Validator, "TC");
        if (!distinct.Passed)
        {
            return distinct;
        }

        for (int i = 0; i < signatures.Count; i++)
        {
            var signature = signatures[i];
            if (signature.HighQcView < 0 || signature.HighQcView >= tc.View)
            {
                return SafetyCheck.Fail($"TC for view {tc.View}: validator {signature.Validator} reports high QC view {signature.HighQcView}, which must be in [0, {tc.View})");
            }

            if (!VerifyTimeout(signature.Validator, tc.View, signature.HighQcView, signature.Signature))
            {
                return SafetyCheck.Fail($"TC for view {tc.View} carries an invalid signature from validator {signature.Validator}");
            }
        }

        return SafetyCheck.Pass;
    }

    /// <summary>Checks one vote's signature.</summary>
    public bool VerifyVote(int validator, long view, Hash256 blockHash, ReadOnlySpan<byte> signature) =>
        _validators.Contains(validator) && _suite.Verify(_validators[validator], SigningMessages.Vote(_domain, view, blockHash), signature);

    /// <summary>Checks a leader's signature on a proposal.</summary>
    public bool VerifyProposal(int validator, long view, Hash256 blockHash, ReadOnlySpan<byte> signature) =>
        _validators.Contains(validator) && _suite.Verify(_validators[validator], SigningMessages.Proposal(_domain, view, blockHash), signature);

    /// <summary>Checks one timeout's signature.</summary>
    public bool VerifyTimeout(int validator, long view, long highQcView, ReadOnlySpan<byte> signature) =>
        _validators.Contains(validator) && _suite.Verify(_validators[validator], SigningMessages.Timeout(_domain, view, highQcView), signature);

    /// <summary>
    /// The paper's safeNode predicate: a block is safe to vote for if it extends the locked block (safety) or its
    /// justify QC is newer than the locked QC (liveness: the lock was on a branch a quorum has moved past).
    /// </summary>
    public static bool IsSafeNode(HotStuffBlock block, QuorumCertificate lockedQc, BlockTree tree)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(lockedQc);
        ArgumentNullException.ThrowIfNull(tree);
        return block.Justify.View > lockedQc.View || tree.Extends(block, lockedQc.BlockHash, lockedQc.View);
    }

    /// <summary>
    /// Whether a validator in <paramref name="safety"/> may vote for <paramref name="block"/>: the block's view is
    /// above the last voted view (one vote per view, never backwards) and the block passes <see cref="IsSafeNode"/>.
    /// Execution (the state root) is checked separately by the replica.
    /// </summary>
    public static SafetyCheck CheckVote(SafetyData safety, HotStuffBlock block, BlockTree tree)
    {
        ArgumentNullException.ThrowIfNull(safety);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(tree);
        if (block.View <= safety.LastVotedView)
        {
            return SafetyCheck.Fail($"already voted in view {safety.LastVotedView}; {block} is in view {block.View}, which must be higher");
        }

        if (!IsSafeNode(block, safety.LockedQc, tree))
        {
            return SafetyCheck.Fail($"{block} neither extends the locked block {safety.LockedQc.BlockHash} (view {safety.LockedQc.View}) nor carries a newer QC (justify view {block.Justify.View})");
        }

        return SafetyCheck.Pass;
    }

    /// <summary>
    /// The lock update on a two-chain (Algorithm 4, update): for a new block b* with b'' = b*.justify.node and
    /// b' = b''.justify.node, lock b' (that is, adopt b''.justify) when it is newer than the current lock.
    /// Returns the new locked QC, or null when the lock does not move.
    /// </summary>
    public static QuorumCertificate? FindNewLock(QuorumCertificate lockedQc, HotStuffBlock block, BlockTree tree)
    {
        ArgumentNullException.ThrowIfNull(lockedQc);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(tree);
        if (!tree.TryGet(block.Justify.BlockHash, out var certified) || certified.IsGenesis)
        {
            return null;
        }

        var candidate = certified.Justify;
        return candidate.View > lockedQc.View ? candidate : null;
    }

    /// <summary>
    /// The chained commit rule (Algorithm 4, update; the "Three-Chain" of section 5): with b'' = b*.justify.node,
    /// b' = b''.justify.node and b = b'.justify.node, commit b when b'' and b' are direct children (b''.parent = b',
    /// b'.parent = b) proposed in consecutive views. Returns b, or null when there is no such three-chain.
    /// Committing b commits its uncommitted ancestors too.
    /// </summary>
    public static HotStuffBlock? FindCommit(HotStuffBlock block, BlockTree tree)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(tree);
        if (!tree.TryGet(block.Justify.BlockHash, out var b2) || b2.IsGenesis)
        {
            return null;
        }

        if (!tree.TryGet(b2.Justify.BlockHash, out var b1) || b1.IsGenesis)
        {
            return null;
        }

        // Genesis is committed by definition, so a three-chain ending there commits nothing new.
        if (!tree.TryGet(b1.Justify.BlockHash, out var b0) || b0.IsGenesis)
        {
            return null;
        }

        bool directParents = b2.ParentHash == b1.Hash && b1.ParentHash == b0.Hash;
        bool consecutiveViews = b2.View == b1.View + 1 && b1.View == b0.View + 1;
        return directParents && consecutiveViews ? b0 : null;
    }

    /// <summary>The higher of two QCs by view (the first on a tie).</summary>
    public static QuorumCertificate Higher(QuorumCertificate a, QuorumCertificate b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return b.View > a.View ? b : a;
    }

    private SafetyCheck CheckSigners(int count, Func<int, int> validatorAt, string kind)
    {
        if (count < _validators.Quorum)
        {
            return SafetyCheck.Fail($"{kind} has {count} signatures but a quorum is {_validators.Quorum} of {_validators.Count}");
        }

        if (count > _validators.Count)
        {
            return SafetyCheck.Fail($"{kind} has {count} signatures but there are only {_validators.Count} validators");
        }

        Span<bool> seen = _validators.Count <= 256 ? stackalloc bool[_validators.Count] : new bool[_validators.Count];
        seen.Clear();
        for (int i = 0; i < count; i++)
        {
            int validator = validatorAt(i);
            if (!_validators.Contains(validator))
            {
                return SafetyCheck.Fail($"{kind} signer {validator} is not a validator (set has {_validators.Count})");
            }

            if (seen[validator])
            {
                return SafetyCheck.Fail($"{kind} counts validator {validator} twice; signers must be distinct");
            }

            seen[validator] = true;
        }

        return SafetyCheck.Pass;
    }
}
