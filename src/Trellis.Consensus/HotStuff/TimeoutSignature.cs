namespace Trellis.Consensus.HotStuff;

/// <summary>One validator's signed timeout inside a <see cref="TimeoutCertificate"/>: it gave up on the view while holding a QC of <see cref="HighQcView"/>.</summary>
public readonly struct TimeoutSignature
{
    /// <summary>Pairs a validator index, the view of its highest QC and its signature.</summary>
    public TimeoutSignature(int validator, long highQcView, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        Validator = validator;
        HighQcView = highQcView;
        Signature = signature;
    }

    /// <summary>The signer's index in the <see cref="ValidatorSet"/>.</summary>
    public int Validator { get; }

    /// <summary>The view of the highest QC the signer held when it timed out.</summary>
    public long HighQcView { get; }

    /// <summary>The signature over (timeout, view, high QC view).</summary>
    public byte[] Signature { get; }
}
