using Trellis.Consensus.HotStuff;
using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.Consensus.Tests.HotStuff;

/// <summary>A validator set with deterministic keys, its genesis block, and helpers that sign real votes and timeouts.</summary>
internal sealed class HotStuffFixture
{
    public HotStuffFixture(int validators = 4, ICryptoSuite? suite = null, byte genesisSeed = 0)
    {
        Suite = suite ?? CryptoSuites.Standard;
        Keys = new PrivateKey[validators];
        var publicKeys = new PublicKey[validators];
        for (int i = 0; i < validators; i++)
        {
            var bytes = new byte[32];
            bytes[31] = (byte)(i + 1);
            bytes[0] = 0x11;
            Keys[i] = Suite.ImportPrivateKey(bytes);
            publicKeys[i] = Suite.DerivePublicKey(Keys[i]);
        }

        Validators = new ValidatorSet(publicKeys);
        var root = new byte[32];
        root[0] = genesisSeed;
        Genesis = HotStuffBlock.CreateGenesis(Suite, new Hash256(root));
        GenesisQc = QuorumCertificate.ForGenesis(Genesis.Hash);
        Rules = new SafetyRules(Suite, Validators, Genesis);
    }

    public ICryptoSuite Suite { get; }

    public PrivateKey[] Keys { get; }

    public ValidatorSet Validators { get; }

    public HotStuffBlock Genesis { get; }

    public QuorumCertificate GenesisQc { get; }

    public SafetyRules Rules { get; }

    public byte[] SignVote(int validator, long view, Hash256 hash) =>
        Suite.Sign(Keys[validator], SigningMessages.Vote(Genesis.Hash, view, hash));

    public byte[] SignTimeout(int validator, long view, long highQcView) =>
        Suite.Sign(Keys[validator], SigningMessages.Timeout(Genesis.Hash, view, highQcView));

    public byte[] SignProposal(int validator, HotStuffBlock block) =>
        Suite.Sign(Keys[validator], SigningMessages.Proposal(Genesis.Hash, block.View, block.Hash));

    /// <summary>A QC for <paramref name="block"/> signed by the given validators (the first quorum when none are given).</summary>
    public QuorumCertificate Certify(HotStuffBlock block, params int[] signers)
    {
        if (block.IsGenesis)
        {
            return GenesisQc;
        }

        if (signers.Length == 0)
        {
            signers = Enumerable.Range(0, Validators.Quorum).ToArray();
        }

        return new QuorumCertificate(block.View, block.Hash, signers.Select(s => new ValidatorSignature(s, SignVote(s, block.View, block.Hash))).ToArray());
    }

    /// <summary>A child of <paramref name="parent"/> in <paramref name="view"/>, justified by a real QC of the parent.</summary>
    public HotStuffBlock Child(HotStuffBlock parent, long view, byte payloadTag = 0) =>
        HotStuffBlock.Create(Suite, parent, view, [payloadTag], StateRootOf(parent, [payloadTag]), Certify(parent));

    /// <summary>The simulator's state transition: hash(parent state root ‖ payload).</summary>
    public Hash256 StateRootOf(HotStuffBlock parent, ReadOnlySpan<byte> payload)
    {
        var buffer = new byte[32 + payload.Length];
        parent.StateRoot.Bytes.CopyTo(buffer);
        payload.CopyTo(buffer.AsSpan(32));
        return Suite.Hash(buffer);
    }

    public BlockTree Tree(params HotStuffBlock[] blocks)
    {
        var tree = new BlockTree(Genesis);
        foreach (var block in blocks)
        {
            var added = tree.TryAdd(block);
            Assert.True(added.Passed, added.Reason);
        }

        return tree;
    }
}
