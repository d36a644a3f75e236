namespace Trellis.Consensus.HotStuff;

/// <summary>
/// What a validator must remember across restarts to stay safe: the last view it voted in (it never votes twice in
/// a view), its locked QC (it only votes for blocks that extend it or carry a newer QC) and, for liveness, the highest
/// QC it knows. Persisted through <see cref="ISafetyStorage"/> before any vote leaves the validator.
/// </summary>
/// <param name="LastVotedView">The highest view this validator has voted in (0 before any vote).</param>
/// <param name="LockedQc">The QC of the locked block (the genesis QC initially).</param>
/// <param name="HighQc">The highest QC known (the genesis QC initially).</param>
public sealed record SafetyData(long LastVotedView, QuorumCertificate LockedQc, QuorumCertificate HighQc)
{
    /// <summary>The state of a validator that has never voted on the chain with this genesis block.</summary>
    public static SafetyData Initial(HotStuffBlock genesis)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        var qc = QuorumCertificate.ForGenesis(genesis.Hash);
        return new SafetyData(0, qc, qc);
    }
}
