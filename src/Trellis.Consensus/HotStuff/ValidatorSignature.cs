namespace Trellis.Consensus.HotStuff;

/// <summary>One validator's signature inside a certificate: the validator's index in the set and the suite signature.</summary>
public readonly struct ValidatorSignature
{
    /// <summary>Pairs a validator index with its signature bytes (kept as given, not copied).</summary>
    public ValidatorSignature(int validator, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        Validator = validator;
        Signature = signature;
    }

    /// <summary>The signer's index in the <see cref="ValidatorSet"/>.</summary>
    public int Validator { get; }

    /// <summary>The signature in the chain's crypto suite.</summary>
    public byte[] Signature { get; }
}
