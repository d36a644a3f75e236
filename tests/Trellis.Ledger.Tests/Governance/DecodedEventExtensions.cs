using Trellis.Sdk.Abi;

namespace Trellis.Ledger.Tests.Governance;

internal static class DecodedEventExtensions
{
    /// <summary>A decoded event parameter converted to <typeparamref name="T"/> (uint64 comes back as UInt256).</summary>
    public static T Value<T>(this DecodedEvent decoded, string name) => AbiValueConverter.Convert<T>(decoded[name]);
}
