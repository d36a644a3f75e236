using Trellis.Core;
using Trellis.Core.Rlp;
using Trellis.Crypto;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Genesis;
using Trellis.State;
using Trellis.State.Storage;

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
    public void Create_StateRootOfOneAccountIsTheSecureTrieLeaf()
    {
        // One account: a leaf at Keccak(address) (64 nibbles, even: hex prefix 0x20) holding
        // rlp([nonce, balance, emptyTrieRoot, Keccak("")]).
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
        byte[] leaf = new RlpList(new RlpString([0x20, .. Keccak256.Hash(address.Bytes).Bytes]), new RlpString(account)).Encode();
        Assert.Equal(Keccak256.Hash(leaf), genesis.Header.StateRoot);
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
