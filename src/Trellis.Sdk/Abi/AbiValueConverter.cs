using System.Numerics;
using Trellis.Core;

namespace Trellis.Sdk.Abi;

/// <summary>Converts decoded ABI values to the .NET type a caller asks for (e.g. a uint256 result to <c>ulong</c>).</summary>
public static class AbiValueConverter
{
    /// <summary>
    /// Converts <paramref name="value"/> to <typeparamref name="T"/>: the value itself when it already is one; integers
    /// between <see cref="UInt256"/>, <see cref="BigInteger"/> and .NET integer types (range-checked); 32 bytes to
    /// <see cref="Hash256"/>; and object[] to arrays of a convertible element type.
    /// </summary>
    /// <exception cref="InvalidCastException">The value cannot be represented as <typeparamref name="T"/>.</exception>
    public static T Convert<T>(object? value) => (T)Convert(value, typeof(T))!;

    /// <summary>Converts <paramref name="value"/> to <paramref name="target"/>; see <see cref="Convert{T}(object?)"/>.</summary>
    public static object? Convert(object? value, Type target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (value is null || target.IsInstanceOfType(value))
        {
            return value;
        }

        BigInteger? integer = value switch
        {
            UInt256 u => u.ToBigInteger(),
            BigInteger b => b,
            _ => null,
        };
        if (integer is BigInteger number)
        {
            try
            {
                if (target == typeof(UInt256))
                {
                    return number.Sign >= 0 && number.GetBitLength() <= 256 ? UInt256.FromBigInteger(number) : throw new OverflowException();
                }

                if (target == typeof(BigInteger))
                {
                    return number;
                }

                if (target == typeof(ulong))
                {
                    return (ulong)number;
                }

                if (target == typeof(long))
                {
                    return (long)number;
                }

                if (target == typeof(uint))
                {
                    return (uint)number;
                }

                if (target == typeof(int))
                {
                    return (int)number;
                }

                if (target == typeof(ushort))
                {
                    return (ushort)number;
                }

                if (target == typeof(short))
                {
                    return (short)number;
                }

                if (target == typeof(byte))
                {
                    return (byte)number;
                }

                if (target == typeof(sbyte))
                {
                    return (sbyte)number;
                }
            }
            catch (OverflowException e)
            {
                throw new InvalidCastException($"ABI value {number} does not fit in {target.Name}", e);
            }
        }

        if (value is byte[] bytes && target == typeof(Hash256) && bytes.Length == Hash256.Length)
        {
            return new Hash256(bytes);
        }

        if (value is object?[] items && target.IsArray)
        {
            Type element = target.GetElementType()!;
            var array = Array.CreateInstance(element, items.Length);
            for (int i = 0; i < items.Length; i++)
            {
                array.SetValue(Convert(items[i], element), i);
            }

            return array;
        }

        throw new InvalidCastException($"ABI value of type {value.GetType().Name} cannot be converted to {target.Name}");
    }
}
