using Trellis.Core;
using Trellis.Core.Rlp;
using Trellis.Crypto;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Genesis;
using Trellis.State;
using Trellis.State.Storage;
using Trellis.State.Trie;

namespace Trellis.Ledger.Tests.Genesis;

public sealed class GenesisBlockTests
{
    [Fact]
    public void Create_BuildsHeightZeroWithTheAllocInItsState()
    {
        ChainConfig config = ChainConfig.Parse(ChainConfigTests.ValidJson);
        using var store = new MemoryStore();

        Block genesis = GenesisBlock.Create(config, store);

        Assert.Equal(0UL, genesis.Header.Height);
        Assert.Equal(Hash256.Zero, genesis.Header.ParentHash);
        Assert.Equal(1_700_000_000UL, genesis.Header.Timestamp);
        Assert.Equal(30_000_000UL, genesis.Header.GasLimit);
        Assert.Empty(genesis.Transactions);
        var state = new WorldState(store, config.Suite, genesis.Header.StateRoot);
        Address contract = Address.Parse("0x2000000000000000000000000000000000000002");
        Assert.Equal(UInt256.Parse("1000000000000000000000"), state.GetBalance(Address.Parse("0x1000000000000000000000000000000000000001")));
        Assert.Equal(3UL, state.GetNonce(contract));
        Assert.Equal(new byte[] { 0x60, 0x00 }, state.GetCode(contract).ToArray());
        Assert.Equal(new UInt256(42), state.GetStorage(contract, UInt256.One));
    }

    [Fact]
    public void Create_StoresTheAllocAccountAsItsRlpUnderTheKeccakOfItsAddress()
    {
        // The account is rlp([nonce, balance, emptyTrieRoot, Keccak("")]) at Keccak(address) in the secure trie
        // (yellow paper 4.1), provable against the state root. The governance contracts' accounts share the trie.
        var address = Address.Parse("0x1000000000000000000000000000000000000001");
        string json = ChainConfigTests.Valid().ToJsonString()
            .Replace(",\"0x2000000000000000000000000000000000000002\":{\"balance\":\"0x10\",\"nonce\":3,\"code\":\"0x6000\",\"storage\":{\"0x01\":\"0x2a\",\"2\":\"7\"}}", string.Empty, StringComparison.Ordinal);
        ChainConfig config = ChainConfig.Parse(json);
        Assert.Single(config.Alloc);
        using var store = new MemoryStore();

        Block genesis = GenesisBlock.Create(config, store);

        byte[] account = new RlpList(
            new RlpString([]),
            new RlpString(UInt256.Parse("1000000000000000000000").ToBigEndianTrimmed()),
            new RlpString(Hash256.Parse("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421").Bytes),
            new RlpString(Keccak256.Hash([]).Bytes)).Encode();
        var trie = new SecureTrie(store, config.Suite, genesis.Header.StateRoot);
        Assert.Equal(account, trie.Get(address.Bytes));
        Assert.True(SecureTrie.VerifyProof(config.Suite, genesis.Header.StateRoot, address.Bytes, trie.GetProof(address.Bytes), out byte[]? proven));
        Assert.Equal(account, proven);
    }

    [Fact]
    public void Create_IsDeterministicAndDependsOnTheSuite()
    {
        ChainConfig config = ChainConfig.Parse(ChainConfigTests.ValidJson);
        var national = ChainConfigTests.Valid();
        national["cryptoSuite"] = "national";
        ChainConfig nationalConfig = ChainConfig.Parse(national.ToJsonString());
        using var first = new MemoryStore();
        using var second = new MemoryStore();
        using var third = new MemoryStore();

        Hash256 a = GenesisBlock.Create(config, first).Header.ComputeHash(config.Suite);
        Hash256 b = GenesisBlock.Create(config, second).Header.ComputeHash(config.Suite);
        Block c = GenesisBlock.Create(nationalConfig, third);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c.Header.ComputeHash(CryptoSuites.National));
        Assert.NotEqual(GenesisBlock.Create(config, first).Header.StateRoot, c.Header.StateRoot);
    }
}
