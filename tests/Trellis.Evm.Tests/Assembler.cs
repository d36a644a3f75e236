using System.Globalization;
using System.Numerics;

namespace Trellis.Evm.Tests;

/// <summary>
/// A tiny EVM assembler for tests: "PUSH1 0x02 PUSH1 0x03 ADD" becomes 60 02 60 03 01. PUSHn takes one immediate
/// (0x-hex or decimal) written in exactly n bytes; "name:" marks a position and "PUSH2 @name" pushes it;
/// "RAW 0x..." emits bytes as they are.
/// </summary>
internal static class Assembler
{
    private static readonly Dictionary<string, byte> Mnemonics = BuildMnemonics();

    public static byte[] Assemble(string source)
    {
        var tokens = source.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var labels = new Dictionary<string, int>();

        // Two passes: the first finds label positions, the second emits with them known.
        for (int pass = 0; pass < 2; pass++)
        {
            var output = new List<byte>();
            for (int i = 0; i < tokens.Length; i++)
            {
                string token = tokens[i];
                if (token.EndsWith(':'))
                {
                    labels[token[..^1]] = output.Count;
                    continue;
                }

                string upper = token.ToUpperInvariant();
                if (upper == "RAW")
                {
                    output.AddRange(Convert.FromHexString(tokens[++i][2..]));
                    continue;
                }

                if (!Mnemonics.TryGetValue(upper, out byte opcode))
                {
                    throw new FormatException($"unknown mnemonic \"{token}\"");
                }

                output.Add(opcode);
                if (opcode >= 0x60 && opcode <= 0x7f)
                {
                    int size = opcode - 0x5f;
                    string immediate = tokens[++i];
                    BigInteger value = immediate.StartsWith('@')
                        ? (pass == 0 ? 0 : labels[immediate[1..]])
                        : ParseNumber(immediate);
                    byte[] bytes = value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true);
                    if (bytes.Length > size)
                    {
                        throw new FormatException($"immediate {immediate} does not fit PUSH{size}");
                    }

                    output.AddRange(new byte[size - bytes.Length]);
                    output.AddRange(bytes);
                }
            }

            if (pass == 1)
            {
                return [.. output];
            }
        }

        throw new InvalidOperationException("unreachable");
    }

    private static BigInteger ParseNumber(string text) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? BigInteger.Parse("0" + text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : BigInteger.Parse(text, CultureInfo.InvariantCulture);

    private static Dictionary<string, byte> BuildMnemonics()
    {
        var map = new Dictionary<string, byte>
        {
            ["STOP"] = 0x00,
            ["ADD"] = 0x01,
            ["MUL"] = 0x02,
            ["SUB"] = 0x03,
            ["DIV"] = 0x04,
            ["SDIV"] = 0x05,
            ["MOD"] = 0x06,
            ["SMOD"] = 0x07,
            ["ADDMOD"] = 0x08,
            ["MULMOD"] = 0x09,
            ["EXP"] = 0x0a,
            ["SIGNEXTEND"] = 0x0b,
            ["LT"] = 0x10,
            ["GT"] = 0x11,
            ["SLT"] = 0x12,
            ["SGT"] = 0x13,
            ["EQ"] = 0x14,
            ["ISZERO"] = 0x15,
            ["AND"] = 0x16,
            ["OR"] = 0x17,
            ["XOR"] = 0x18,
            ["NOT"] = 0x19,
            ["BYTE"] = 0x1a,
            ["SHL"] = 0x1b,
            ["SHR"] = 0x1c,
            ["SAR"] = 0x1d,
            ["KECCAK256"] = 0x20,
            ["SHA3"] = 0x20,
            ["ADDRESS"] = 0x30,
            ["BALANCE"] = 0x31,
            ["ORIGIN"] = 0x32,
            ["CALLER"] = 0x33,
            ["CALLVALUE"] = 0x34,
            ["CALLDATALOAD"] = 0x35,
            ["CALLDATASIZE"] = 0x36,
            ["CALLDATACOPY"] = 0x37,
            ["CODESIZE"] = 0x38,
            ["CODECOPY"] = 0x39,
            ["GASPRICE"] = 0x3a,
            ["EXTCODESIZE"] = 0x3b,
            ["EXTCODECOPY"] = 0x3c,
            ["RETURNDATASIZE"] = 0x3d,
            ["RETURNDATACOPY"] = 0x3e,
            ["EXTCODEHASH"] = 0x3f,
            ["BLOCKHASH"] = 0x40,
            ["COINBASE"] = 0x41,
            ["TIMESTAMP"] = 0x42,
            ["NUMBER"] = 0x43,
            ["PREVRANDAO"] = 0x44,
            ["DIFFICULTY"] = 0x44,
            ["GASLIMIT"] = 0x45,
            ["CHAINID"] = 0x46,
            ["SELFBALANCE"] = 0x47,
            ["BASEFEE"] = 0x48,
            ["BLOBHASH"] = 0x49,
            ["BLOBBASEFEE"] = 0x4a,
            ["POP"] = 0x50,
            ["MLOAD"] = 0x51,
            ["MSTORE"] = 0x52,
            ["MSTORE8"] = 0x53,
            ["SLOAD"] = 0x54,
            ["SSTORE"] = 0x55,
            ["JUMP"] = 0x56,
            ["JUMPI"] = 0x57,
            ["PC"] = 0x58,
            ["MSIZE"] = 0x59,
            ["GAS"] = 0x5a,
            ["JUMPDEST"] = 0x5b,
            ["TLOAD"] = 0x5c,
            ["TSTORE"] = 0x5d,
            ["MCOPY"] = 0x5e,
            ["PUSH0"] = 0x5f,
            ["CREATE"] = 0xf0,
            ["CALL"] = 0xf1,
            ["CALLCODE"] = 0xf2,
            ["RETURN"] = 0xf3,
            ["DELEGATECALL"] = 0xf4,
            ["CREATE2"] = 0xf5,
            ["STATICCALL"] = 0xfa,
            ["REVERT"] = 0xfd,
            ["INVALID"] = 0xfe,
            ["SELFDESTRUCT"] = 0xff,
        };
        for (int n = 1; n <= 32; n++)
        {
            map[$"PUSH{n}"] = (byte)(0x5f + n);
        }

        for (int n = 1; n <= 16; n++)
        {
            map[$"DUP{n}"] = (byte)(0x7f + n);
            map[$"SWAP{n}"] = (byte)(0x8f + n);
        }

        for (int n = 0; n <= 4; n++)
        {
            map[$"LOG{n}"] = (byte)(0xa0 + n);
        }

        return map;
    }
}
