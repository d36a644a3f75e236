using Trellis.Core;
using Trellis.Core.Rlp;

namespace Trellis.Ledger.Tests.Execution;

/// <summary>The ERC-20 in bench/contracts: its ABI encodings, storage layout and event topic, from the Solidity rules.</summary>
internal static class Erc20
{
    /// <summary>keccak256("Transfer(address,address,uint256)"), the standard ERC-20 event topic.</summary>
    public static readonly Hash256 TransferTopic = Hash256.Parse("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");

    /// <summary>Creation code followed by the ABI-encoded constructor argument (uint256 initialSupply).</summary>
    public static byte[] Deployment(UInt256 supply) => [.. TestChain.Contract("Erc20.creation.hex"), .. Word(supply)];

    public static byte[] Runtime => TestChain.Contract("Erc20.runtime.hex");

    /// <summary>transfer(address,uint256): selector 0xa9059cbb then two words.</summary>
    public static byte[] Transfer(Address to, UInt256 value) => [0xa9, 0x05, 0x9c, 0xbb, .. Word(to), .. Word(value)];

    /// <summary>balanceOf is the mapping at slot 1: its entry lives at keccak256(pad32(owner) ++ pad32(1)).</summary>
    public static UInt256 BalanceSlot(Address owner) =>
        UInt256.FromBigEndian(Keccak256.Hash([.. Word(owner), .. Word(UInt256.One)]).Bytes);

    /// <summary>A 20-byte address left-padded to a 32-byte topic.</summary>
    public static Hash256 Topic(Address address) => new(Word(address));

    /// <summary>CREATE's address: the last 20 bytes of keccak256(rlp([sender, nonce])) (yellow paper section 7).</summary>
    public static Address CreatedAddress(Address sender, ulong nonce)
    {
        byte[] rlp = new RlpList(new RlpString(sender.Bytes), new RlpString(new UInt256(nonce).ToBigEndianTrimmed())).Encode();
        return new Address(Keccak256.Hash(rlp).Bytes[12..]);
    }

    public static byte[] Word(UInt256 value)
    {
        var word = new byte[32];
        value.WriteBigEndian(word);
        return word;
    }

    public static byte[] Word(Address address)
    {
        var word = new byte[32];
        address.Bytes.CopyTo(word.AsSpan(12));
        return word;
    }
}
