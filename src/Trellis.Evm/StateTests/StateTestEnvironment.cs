using System.Globalization;
using System.Text;
using Trellis.Core;
using Trellis.Evm.Processing;

namespace Trellis.Evm.StateTests;

/// <summary>The <c>env</c> section of a state test: the block the transaction runs in.</summary>
/// <param name="Coinbase"><c>currentCoinbase</c>.</param>
/// <param name="Number"><c>currentNumber</c>.</param>
/// <param name="Timestamp"><c>currentTimestamp</c>.</param>
/// <param name="GasLimit"><c>currentGasLimit</c>.</param>
/// <param name="PrevRandao"><c>currentRandom</c> (the PREVRANDAO value since the merge).</param>
/// <param name="BaseFee"><c>currentBaseFee</c>.</param>
/// <param name="ExcessBlobGas"><c>currentExcessBlobGas</c>, which determines the blob base fee (EIP-4844).</param>
public sealed record StateTestEnvironment(Address Coinbase, ulong Number, ulong Timestamp, long GasLimit, UInt256 PrevRandao, UInt256 BaseFee, ulong ExcessBlobGas)
{
    /// <summary>The chain id state tests are filled with (mainnet).</summary>
    public const ulong ChainId = 1;

    /// <summary>The block context for the EVM; the blob base fee is fake_exponential(1, excess blob gas, 3338477).</summary>
    public BlockContext ToBlockContext() =>
        new(Coinbase, Number, Timestamp, GasLimit, PrevRandao, BaseFee, BlobGas.BaseFee(ExcessBlobGas), ChainId, TestBlockHash);

    /// <summary>
    /// The block hashes state tests assume (the filling tools' convention): Keccak-256 of the block number's decimal
    /// digits.
    /// </summary>
    public static Hash256 TestBlockHash(ulong number) =>
        Keccak256.Hash(Encoding.ASCII.GetBytes(number.ToString(CultureInfo.InvariantCulture)));
}
