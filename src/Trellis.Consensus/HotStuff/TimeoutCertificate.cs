namespace Trellis.Consensus.HotStuff;

/// <summary>
/// 2f + 1 distinct validators' signed timeouts for one view. It proves the view failed, so the next leader may
/// propose in the following view without a QC of the failed one, and lagging validators may follow it there.
/// </summary>
public sealed class TimeoutCertificate
{
    /// <summary>Wraps a view and the timeouts' signatures (validated by <see cref="SafetyRules.ValidateTc"/>).</summary>
    public TimeoutCertificate(long view, IReadOnlyList<TimeoutSignature> signatures)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        View = view;
        Signatures = signatures;
    }

    /// <summary>The view that timed out.</summary>
    public long View { get; }

    /// <summary>The timeouts, one per distinct validator.</summary>
    public IReadOnlyList<TimeoutSignature> Signatures { get; }

    /// <summary>The highest QC view any signer reported; a proposal justified by this certificate must carry a QC at least this high.</summary>
    public long MaxHighQcView
    {
        get
        {
            long max = 0;
            foreach (var signature in Signatures)
            {
                max = Math.Max(max, signature.HighQcView);
            }

            return max;
        }
    }
}
