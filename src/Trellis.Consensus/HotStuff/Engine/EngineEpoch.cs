using Trellis.Consensus.HotStuff.Messages;
using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.Consensus.HotStuff.Engine;

/// <summary>
/// One epoch of the engine: the validator set of its ledger heights (registration order = leader rotation), this
/// node's place in it, its signing domain, and the rules and codec of that set. Immutable, so the network thread can
/// read the current epoch while the engine thread switches to the next.
/// </summary>
internal sealed class EngineEpoch
{
    public EngineEpoch(ulong start, ValidatorMember[] members, HotStuffBlock genesis, ICryptoSuite suite, HotStuffEngineOptions options, PrivateKey? signingKey)
    {
        Start = start;
        Members = members;
        var keys = new PublicKey[members.Length];
        Addresses = new Address[members.Length];
        for (int i = 0; i < members.Length; i++)
        {
            keys[i] = members[i].PublicKey;
            Addresses[i] = members[i].Address;
            IndexOf[members[i].Address] = i;
        }

        Validators = new ValidatorSet(keys, options.ViewsPerLeader);
        Domain = SigningMessages.EpochDomain(suite, genesis.Hash, start);
        Rules = new SafetyRules(suite, Validators, genesis, Domain);
        Codec = new HotStuffCodec(suite, Validators.Count, options.MaxMessageBytes, options.MaxBlocksPerResponse);
        Self = signingKey is null ? -1 : Validators.IndexOf(suite.DerivePublicKey(signingKey));
        Key = Self >= 0 ? signingKey : null;
    }

    /// <summary>The epoch id: the first ledger height signed by this set (0 for the genesis set).</summary>
    public ulong Start { get; }

    /// <summary>The validators, in registration order.</summary>
    public ValidatorMember[] Members { get; }

    public ValidatorSet Validators { get; }

    public Address[] Addresses { get; }

    public Dictionary<Address, int> IndexOf { get; } = [];

    public Hash256 Domain { get; }

    public SafetyRules Rules { get; }

    public HotStuffCodec Codec { get; }

    /// <summary>This node's index in the set, or −1 when it observes this epoch.</summary>
    public int Self { get; }

    /// <summary>The signing key when this node is a validator of the epoch.</summary>
    public PrivateKey? Key { get; }

    /// <summary>True when both lists name the same validators with the same keys in the same order.</summary>
    public static bool SameSet(IReadOnlyList<ValidatorMember> a, IReadOnlyList<ValidatorMember> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (int i = 0; i < a.Count; i++)
        {
            if (a[i].Address != b[i].Address || !a[i].PublicKey.Equals(b[i].PublicKey))
            {
                return false;
            }
        }

        return true;
    }
}
