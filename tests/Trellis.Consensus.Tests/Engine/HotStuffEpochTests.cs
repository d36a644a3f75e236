using System.Buffers.Binary;
using System.Text;
using Trellis.Consensus.HotStuff;
using Trellis.Consensus.HotStuff.Messages;
using Trellis.Core;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Governance;
using Trellis.Ledger.Pool;
using Trellis.Ledger.Storage;
using Trellis.Ledger.Transactions;
using Trellis.State;
using Trellis.State.Storage;

namespace Trellis.Consensus.Tests.Engine;

/// <summary>
/// Validator sets that follow the governance registry: proposals voted through the real governance contracts in
/// transactions, the switch at the activation height, certificates of each epoch checked against its own set, block
/// sync and restarts across a switch.
/// </summary>
public sealed class HotStuffEpochTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task AddingAValidatorByVote_TheNewSetSignsFromTheActivationHeightAndAllNodesAgree()
    {
        await using var cluster = new EngineCluster(validators: 4, observers: 1, observerKeys: true, memberAdmins: true);
        cluster.StartAll();
        var newcomer = cluster.Nodes[4];
        Assert.Equal(-1, newcomer.Engine.ValidatorIndex);
        Assert.Equal("observer", newcomer.Engine.Role);

        // Node 0 is down through the vote and the switch: it restarts later in the old epoch and crosses by block sync.
        await cluster.Nodes[0].StopAsync();
        ulong activation = await PassAsync(cluster, proposer: 1, Abi(cluster, "proposeSetNodeRole(address,uint8)", Word(newcomer.Address), Word(1)), followers: [4]);

        await WaitAsync(cluster, () => new[] { 1, 2, 3, 4 }.All(i => cluster.Nodes[i].Engine.Epoch == activation), $"nodes 1-4 in epoch {activation}", followers: [4]);
        Assert.Equal(4, newcomer.Engine.ValidatorIndex);
        Assert.Equal(5, cluster.Nodes[1].Engine.Validators.Count);
        Assert.Equal(newcomer.Address, cluster.Nodes[1].Engine.Validators[4]);

        // The switch is at the activation height: the last block of the genesis set is activation − 1.
        var source = cluster.Nodes[1];
        Assert.Equal(0UL, CertificateOf(source.Blocks.GetBlock(activation - 1)!).Epoch);

        // Five validators need four signatures and node 0 is down: every new block is signed by the newcomer too.
        for (int i = 0; i < 3; i++)
        {
            cluster.Submit(1, cluster.Transfer(5 + i, 0));
        }

        await WaitAsync(cluster, () => new[] { 1, 2, 3, 4 }.All(i => cluster.Nodes[i].Height >= activation && Committed(cluster.Nodes[i]) >= 3), "3 transfers committed after the switch");
        for (ulong h = activation; h <= source.Height; h++)
        {
            var certificate = CertificateOf(source.Blocks.GetBlock(h)!);
            Assert.Equal(activation, certificate.Epoch);
            Assert.Contains(certificate.Signatures, s => s.Validator == 4);
        }

        // Node 0 restarts in the old epoch and syncs across the switch; then it votes in the new one.
        cluster.Nodes[0].Restart();
        Assert.Equal(0UL, cluster.Nodes[0].Engine.Epoch);
        await WaitAsync(cluster, () => cluster.Nodes[0].Engine.Epoch == activation && cluster.Nodes[0].Height >= source.Height, "node 0 synced into the new epoch", followers: [0]);
        Assert.Equal(0, cluster.Nodes[0].Engine.ValidatorIndex);
        for (int i = 0; i < 3; i++)
        {
            cluster.Submit(2, cluster.Transfer(5 + i, 1));
        }

        await WaitAsync(cluster, () => cluster.Nodes.All(n => Committed(n) >= 6), "3 more transfers committed on all five nodes", followers: [0]);
        cluster.AssertSameChain(0, 1, 2, 3, 4);

        // Block sync of a fresh node across the switch, with a restart exactly at it and one in the middle of the new epoch.
        var blocks = Enumerable.Range(1, (int)source.Height).Select(h => source.Blocks.GetBlock((ulong)h)!).ToList();
        var store = new MemoryStore();
        var fresh = new BlockStore(store, cluster.Suite);
        fresh.Initialize(cluster.Chain);
        await using (var engine = CreateEngine(cluster, store, fresh, cluster.NodeKeys[4]))
        {
            Assert.Equal(0UL, engine.Epoch);
            Assert.Equal(-1, engine.ValidatorIndex);
            var result = await engine.ApplySyncedBlocksAsync(blocks[..(int)(activation - 1)], CancellationToken.None);
            Assert.Equal(((int)(activation - 1), (string?)null), (result.Applied, result.Error));
        }

        await using (var engine = CreateEngine(cluster, store, fresh, cluster.NodeKeys[4]))
        {
            // Restart at the switch: the last block of the old epoch is the head, the next belongs to the new set.
            Assert.Equal(activation, engine.Epoch);
            Assert.Equal(4, engine.ValidatorIndex);
            var result = await engine.ApplySyncedBlocksAsync(blocks, CancellationToken.None);
            Assert.Null(result.Error);
        }

        await using (var engine = CreateEngine(cluster, store, fresh, cluster.NodeKeys[4]))
        {
            Assert.Equal(activation, engine.Epoch);
            Assert.Equal(4, engine.ValidatorIndex);
        }

        for (ulong h = 0; h <= source.Height; h++)
        {
            Assert.Equal(source.Blocks.GetBlockHash(h), fresh.GetBlockHash(h));
        }

        // Certificates are checked against the set and signing domain of their own height.
        foreach (var node in cluster.Nodes)
        {
            await node.StopAsync();
        }

        var verifier = cluster.Nodes[2].Engine;
        var first = source.Blocks.GetBlock(activation)!;
        Assert.True(verifier.VerifyCommitCertificate(first, out var error), error);
        Assert.True(verifier.VerifyCommitCertificate(source.Blocks.GetBlock(activation - 1)!, out error), error);

        // The old set (four of the five new validators, a quorum of the new set by count) signing in the old domain:
        // naming the old epoch is refused, and naming the new one leaves signatures that do not verify there.
        var original = CertificateOf(first);
        Hash256 blockHash = HotStuffHashOf(cluster, first, original);
        var oldDomain = SigningMessages.EpochDomain(cluster.Suite, verifier.Genesis.Hash, 0);
        var oldSignatures = Enumerable.Range(0, 4).Select(i => new ValidatorSignature(i, cluster.Suite.Sign(cluster.NodeKeys[i], SigningMessages.Vote(oldDomain, original.View, blockHash)))).ToList();
        Assert.False(verifier.VerifyCommitCertificate(WithCertificate(first, original with { Signatures = oldSignatures, Epoch = 0 }), out error));
        Assert.Contains("names epoch 0", error, StringComparison.Ordinal);
        Assert.False(verifier.VerifyCommitCertificate(WithCertificate(first, original with { Signatures = oldSignatures }), out error));
        Assert.Contains("invalid signature", error, StringComparison.Ordinal);

        // The same four signing in the new epoch's domain are a real quorum of the new set.
        var newDomain = SigningMessages.EpochDomain(cluster.Suite, verifier.Genesis.Hash, activation);
        var newSignatures = Enumerable.Range(0, 4).Select(i => new ValidatorSignature(i, cluster.Suite.Sign(cluster.NodeKeys[i], SigningMessages.Vote(newDomain, original.View, blockHash)))).ToList();
        Assert.True(verifier.VerifyCommitCertificate(WithCertificate(first, original with { Signatures = newSignatures }), out error), error);
        Assert.False(verifier.VerifyCommitCertificate(WithCertificate(first, original with { Signatures = newSignatures[..3] }), out error));
    }

    [Fact]
    public async Task RemovingAValidatorByVote_ItsSignatureNeverCountsAfterTheSwitchAndTheRestTolerateOneDown()
    {
        await using var cluster = new EngineCluster(validators: 5, memberAdmins: true);
        cluster.StartAll();
        var removed = cluster.Nodes[4];
        ulong activation = await PassAsync(cluster, proposer: 0, Abi(cluster, "proposeRemoveNode(address)", Word(removed.Address)), followers: []);

        await WaitAsync(cluster, () => cluster.Nodes.All(n => n.Engine.Epoch == activation), $"all nodes in epoch {activation}");
        await WaitAsync(cluster, () => removed.Engine.Role == "observer", "the removed validator observes");
        Assert.Equal(-1, removed.Engine.ValidatorIndex);
        Assert.DoesNotContain(removed.Address, cluster.Nodes[0].Engine.Validators);
        Assert.Equal(4, cluster.Nodes[0].Engine.Validators.Count);

        // The new set commits; one safety file per epoch, the genesis epoch's is gone once its last block committed.
        for (int i = 0; i < 3; i++)
        {
            cluster.Submit(i % 3, cluster.Transfer(5 + i, 0));
        }

        await WaitAsync(cluster, () => cluster.Nodes.Take(4).All(n => Committed(n) >= 3 && n.Height >= activation), "3 transfers committed by the four validators");
        var restarted = cluster.Nodes[1];
        Assert.True(File.Exists(Path.Combine(restarted.DataDirectory, $"{HotStuffEngine.SafetyFileName}-epoch{activation}")));
        Assert.False(File.Exists(Path.Combine(restarted.DataDirectory, HotStuffEngine.SafetyFileName)));

        // A restart in the middle of the new epoch resumes in it, with its safety file.
        await restarted.StopAsync();
        restarted.Restart();
        Assert.Equal(activation, restarted.Engine.Epoch);
        Assert.Equal(1, restarted.Engine.ValidatorIndex);

        // Four validators tolerate one down: stop another and the remaining three keep committing.
        await cluster.Nodes[3].StopAsync();
        for (int i = 0; i < 3; i++)
        {
            cluster.Submit(i % 3, cluster.Transfer(5 + i, 1));
        }

        await WaitAsync(cluster, () => cluster.Nodes.Take(3).All(n => Committed(n) >= 6), "3 more transfers committed by three of the four validators");
        cluster.AssertSameChain(0, 1, 2);
        var source = cluster.Nodes[0];
        foreach (var node in cluster.Nodes)
        {
            await node.StopAsync();
        }

        var verifier = cluster.Nodes[1].Engine;
        for (ulong h = activation; h <= source.Height; h++)
        {
            var block = source.Blocks.GetBlock(h)!;
            Assert.True(verifier.VerifyCommitCertificate(block, out var error), error);
            var certificate = CertificateOf(block);
            Assert.Equal(activation, certificate.Epoch);
            Assert.All(certificate.Signatures, s => Assert.InRange(s.Validator, 0, 3));
        }

        // A certificate that counts the removed validator (index 4 of the old set) does not verify after the switch.
        var first = source.Blocks.GetBlock(activation)!;
        var original = CertificateOf(first);
        Hash256 blockHash = HotStuffHashOf(cluster, first, original);
        var newDomain = SigningMessages.EpochDomain(cluster.Suite, verifier.Genesis.Hash, activation);
        var withRemoved = new[] { 1, 2, 4 }.Select(i => new ValidatorSignature(i, cluster.Suite.Sign(cluster.NodeKeys[i], SigningMessages.Vote(newDomain, original.View, blockHash)))).ToList();
        Assert.False(verifier.VerifyCommitCertificate(WithCertificate(first, original with { Signatures = withRemoved }), out var refused));
        Assert.NotNull(refused);
    }

    [Fact]
    public async Task ANodeOutsideGenesis_ObservesWithItsKeyUntilAddedByVote_ThenSigns()
    {
        await using var cluster = new EngineCluster(validators: 4, memberAdmins: true);
        var raw = new byte[32];
        raw[0] = 0x42;
        raw[31] = 0x77;
        var joinerKey = cluster.Suite.ImportPrivateKey(raw);
        var joinerPublic = cluster.Suite.DerivePublicKey(joinerKey);
        var joinerAddress = cluster.Suite.ToAddress(joinerPublic);
        var store = new MemoryStore();
        var blocks = new BlockStore(store, cluster.Suite);
        blocks.Initialize(cluster.Chain);
        await using var joiner = CreateEngine(cluster, store, blocks, joinerKey);
        joiner.Connect(cluster.Network.For(joinerAddress));
        cluster.Network.Attach(joinerAddress, joiner);
        Assert.Equal(-1, joiner.ValidatorIndex);
        Assert.Equal("observer", joiner.Role);
        cluster.StartAll();
        joiner.Start();

        // The joiner follows by block sync, as the node's synchroniser would make it.
        async Task SyncJoiner()
        {
            var source = cluster.Nodes.Where(n => n.Running).MaxBy(n => n.Height)!;
            ulong top = source.Height;
            if (top > blocks.Head!.Height)
            {
                var missing = new List<Block>();
                for (ulong h = blocks.Head!.Height + 1; h <= top; h++)
                {
                    missing.Add(source.Blocks.GetBlock(h)!);
                }

                var result = await joiner.ApplySyncedBlocksAsync(missing, CancellationToken.None);
                Assert.Null(result.Error);
            }
        }

        byte[] proposal = AbiWithDynamic(
            cluster,
            "proposeAddNode(address,string,string,uint8,bytes,bytes32)",
            [Word(joinerAddress), null, null, Word(1), null, new byte[32]],
            [null, Encoding.ASCII.GetBytes("org1-joiner"), Encoding.ASCII.GetBytes("org1"), null, joinerPublic.Bytes.ToArray(), null]);
        ulong activation = await PassAsync(cluster, proposer: 0, proposal, followers: [], also: SyncJoiner);
        await WaitAsync(cluster, () => joiner.Epoch == activation && cluster.Nodes.All(n => n.Engine.Epoch == activation), $"all nodes and the joiner in epoch {activation}", also: SyncJoiner);
        Assert.Equal(4, joiner.ValidatorIndex);
        Assert.Equal(joinerAddress, cluster.Nodes[0].Engine.Validators[4]);

        // Five validators, one genesis validator down: the joiner's signature is in every new certificate.
        await cluster.Nodes[0].StopAsync();
        for (int i = 0; i < 3; i++)
        {
            byte[] transfer = cluster.Transfer(5 + i, 0);
            cluster.Submit(1, transfer);
            joiner.Submit(transfer);
        }

        await WaitAsync(cluster, () => Committed(cluster.Nodes[1]) >= 3 && blocks.Head!.Height >= cluster.Nodes[1].Height, "3 transfers committed with the joiner voting", also: SyncJoiner);
        var source = cluster.Nodes[1];
        for (ulong h = activation; h <= source.Height; h++)
        {
            Assert.Contains(CertificateOf(source.Blocks.GetBlock(h)!).Signatures, s => s.Validator == 4);
            Assert.Equal(source.Blocks.GetBlockHash(h), blocks.GetBlockHash(h));
        }
    }

    private static async Task<ulong> PassAsync(EngineCluster cluster, int proposer, byte[] proposal, int[] followers, Func<Task>? also = null)
    {
        // Propose (the proposer's yes vote), wait until the proposal is on the ledger, then the other members vote:
        // with one member per node, more than 2/3 of the weight is needed.
        var source = cluster.Nodes.First(n => n.Running && n.Engine.ValidatorIndex >= 0);
        int members = cluster.Chain.Members.Count;
        cluster.Submit(source.Index, Call(cluster, proposer, proposal));
        await WaitAsync(cluster, () => Registry(source).ProposalCount >= 1, "the proposal committed", followers, also);
        ulong id = Registry(source).ProposalCount;
        int yes = 1;
        for (int member = 0; member < members && (ulong)yes * 3 <= (ulong)members * 2; member++)
        {
            if (member != proposer)
            {
                cluster.Submit(source.Index, Call(cluster, member, Abi(cluster, "vote(uint64,bool)", Word(id), Word(1))));
                yes++;
            }
        }

        await WaitAsync(cluster, () => Registry(source).GetProposal(id, source.Height)?.Status == ProposalStatus.Executed, $"proposal {id} executed", followers, also);

        // Executed in block h, the change applies from h + 2: find h.
        ulong executedAt = source.Height;
        while (executedAt > 1 && Registry(source, executedAt - 1).GetProposal(id, executedAt - 1)?.Status == ProposalStatus.Executed)
        {
            executedAt--;
        }

        return executedAt + GovernanceRules.ActivationDelay;
    }

    private static GovernanceState Registry(EngineCluster.ClusterNode node, ulong? height = null) =>
        GovernanceState.At(node.Store, node.Blocks.Suite, node.Blocks.GetHeader(height ?? node.Height)!.StateRoot);

    private static async Task WaitAsync(EngineCluster cluster, Func<bool> condition, string what, int[]? followers = null, Func<Task>? also = null)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not reached in {Patience.TotalSeconds} s: {what}\n{cluster.Describe()}");

            // Nodes that follow by block sync (observers, a restarted node behind the switch) get the committed blocks
            // of the highest running validator, as the node's synchroniser would fetch them.
            foreach (int index in followers ?? [])
            {
                var node = cluster.Nodes[index];
                var source = cluster.Nodes.Where(n => n.Running && n.Index != index).MaxBy(n => n.Height)!;
                ulong top = source.Height;
                if (node.Running && top > node.Height)
                {
                    var blocks = new List<Block>();
                    for (ulong h = node.Height + 1; h <= top; h++)
                    {
                        blocks.Add(source.Blocks.GetBlock(h)!);
                    }

                    await node.Engine.ApplySyncedBlocksAsync(blocks, CancellationToken.None);
                }
            }

            if (also is not null)
            {
                await also();
            }

            await Task.Delay(20);
        }
    }

    private static int Committed(EngineCluster.ClusterNode node)
    {
        int count = 0;
        for (ulong h = 1; h <= node.Height; h++)
        {
            foreach (var transaction in node.Blocks.GetBlock(h)!.Transactions)
            {
                if (transaction.To != GovernanceAddresses.Governance)
                {
                    count++;
                }
            }
        }

        return count;
    }

    private static HotStuffEngine CreateEngine(EngineCluster cluster, MemoryStore store, BlockStore blocks, Trellis.Crypto.PrivateKey key)
    {
        var pool = new TxPool(cluster.Chain, cluster.Suite, new HeadStateReader(new WorldState(store, cluster.Suite, blocks.Head!.StateRoot)));
        return new HotStuffEngine(HotStuffEngineOptions.FromChain(cluster.Chain, null), cluster.Suite, store, blocks, new BlockExecutor(cluster.Suite, cluster.Chain), pool, key, cluster.Validators);
    }

    private static HotStuffCommitCertificate CertificateOf(Block block)
    {
        var codec = new HotStuffCodec(Trellis.Crypto.CryptoSuites.Standard, 16);
        Assert.True(codec.TryDecodeCertificate(block.Header.ConsensusCertificate.Span, out var certificate, out var error), error);
        return certificate!;
    }

    private static Hash256 HotStuffHashOf(EngineCluster cluster, Block block, HotStuffCommitCertificate certificate)
    {
        byte[] payload = new Block(block.Header.WithCertificate([]), block.Transactions).Encode();
        return HotStuffBlock.ComputeHash(cluster.Suite, certificate.ParentHash, certificate.View, (long)block.Header.Height, payload, block.Header.StateRoot, new QuorumCertificate(certificate.JustifyView, certificate.ParentHash, []));
    }

    private static Block WithCertificate(Block block, HotStuffCommitCertificate certificate) =>
        new(block.Header.WithCertificate(HotStuffCodec.EncodeCertificate(certificate)), block.Transactions);

    // Each member account sends one governance transaction per test (nonce 0); transfers use other accounts.
    private static byte[] Call(EngineCluster cluster, int account, byte[] data)
    {
        return new TransactionBuilder
        {
            Type = TxType.DynamicFee,
            ChainId = EngineCluster.ChainId,
            Nonce = 0,
            MaxPriorityFeePerGas = UInt256.One,
            MaxFeePerGas = UInt256.One,
            GasLimit = 3_000_000,
            To = GovernanceAddresses.Governance,
            Data = data,
        }.Sign(cluster.Suite, cluster.AccountKeys[account]).Encode();
    }

    // Solidity ABI: the first 4 bytes of Keccak-256 of the signature, then one 32-byte word per static argument.
    private static byte[] Abi(EngineCluster cluster, string signature, params byte[][] words)
    {
        var data = new byte[4 + (32 * words.Length)];
        cluster.Suite.Hash(Encoding.ASCII.GetBytes(signature)).Bytes[..4].CopyTo(data);
        for (int i = 0; i < words.Length; i++)
        {
            words[i].CopyTo(data, 4 + (32 * i));
        }

        return data;
    }

    // Solidity ABI with dynamic arguments: a static word where given, otherwise an offset to a tail of length and data.
    private static byte[] AbiWithDynamic(EngineCluster cluster, string signature, byte[]?[] heads, byte[]?[] tails)
    {
        var head = new List<byte>();
        var tail = new List<byte>();
        for (int i = 0; i < heads.Length; i++)
        {
            if (heads[i] is byte[] word)
            {
                head.AddRange(word);
                continue;
            }

            head.AddRange(Word((ulong)((32 * heads.Length) + tail.Count)));
            byte[] data = tails[i]!;
            tail.AddRange(Word((ulong)data.Length));
            tail.AddRange(data);
            tail.AddRange(new byte[(32 - (data.Length % 32)) % 32]);
        }

        return [.. Abi(cluster, signature), .. head, .. tail];
    }

    private static byte[] Word(Address address)
    {
        var word = new byte[32];
        address.Bytes.CopyTo(word.AsSpan(12));
        return word;
    }

    private static byte[] Word(ulong value)
    {
        var word = new byte[32];
        BinaryPrimitives.WriteUInt64BigEndian(word.AsSpan(24), value);
        return word;
    }
}
