namespace Trellis.Evm;

/// <summary>
/// Per-opcode static facts the interpreter checks before it dispatches: the constant gas, how many stack items the
/// opcode reads, and the highest stack height at which it may start without overflowing 1024 items.
/// </summary>
internal static class OpcodeInfo
{
    /// <summary>The EVM stack limit (yellow paper: 1024 items).</summary>
    public const int StackLimit = 1024;

    /// <summary>Constant gas charged before the opcode runs (dynamic parts are charged by the opcode).</summary>
    public static readonly int[] BaseGas = new int[256];

    /// <summary>Minimum stack height the opcode needs.</summary>
    public static readonly int[] StackRequired = new int[256];

    /// <summary>Maximum stack height at which the opcode may start (1024 minus its net growth).</summary>
    public static readonly int[] StackMaximum = new int[256];

    /// <summary>True for opcodes defined in Cancun.</summary>
    public static readonly bool[] IsDefined = new bool[256];

    static OpcodeInfo()
    {
        Array.Fill(StackMaximum, StackLimit);

        Define(Opcode.Stop, 0, 0, 0);
        Define(Opcode.Add, 2, 1, 3);
        Define(Opcode.Mul, 2, 1, 5);
        Define(Opcode.Sub, 2, 1, 3);
        Define(Opcode.Div, 2, 1, 5);
        Define(Opcode.SDiv, 2, 1, 5);
        Define(Opcode.Mod, 2, 1, 5);
        Define(Opcode.SMod, 2, 1, 5);
        Define(Opcode.AddMod, 3, 1, 8);
        Define(Opcode.MulMod, 3, 1, 8);
        Define(Opcode.Exp, 2, 1, 10);
        Define(Opcode.SignExtend, 2, 1, 5);
        for (int op = Opcode.Lt; op <= Opcode.Eq; op++)
        {
            Define(op, 2, 1, 3);
        }

        Define(Opcode.IsZero, 1, 1, 3);
        Define(Opcode.And, 2, 1, 3);
        Define(Opcode.Or, 2, 1, 3);
        Define(Opcode.Xor, 2, 1, 3);
        Define(Opcode.Not, 1, 1, 3);
        Define(Opcode.Byte, 2, 1, 3);
        Define(Opcode.Shl, 2, 1, 3);
        Define(Opcode.Shr, 2, 1, 3);
        Define(Opcode.Sar, 2, 1, 3);
        Define(Opcode.Keccak256, 2, 1, 30);

        Define(Opcode.Address, 0, 1, 2);
        Define(Opcode.Balance, 1, 1, GasCost.WarmAccess);
        Define(Opcode.Origin, 0, 1, 2);
        Define(Opcode.Caller, 0, 1, 2);
        Define(Opcode.CallValue, 0, 1, 2);
        Define(Opcode.CallDataLoad, 1, 1, 3);
        Define(Opcode.CallDataSize, 0, 1, 2);
        Define(Opcode.CallDataCopy, 3, 0, 3);
        Define(Opcode.CodeSize, 0, 1, 2);
        Define(Opcode.CodeCopy, 3, 0, 3);
        Define(Opcode.GasPrice, 0, 1, 2);
        Define(Opcode.ExtCodeSize, 1, 1, GasCost.WarmAccess);
        Define(Opcode.ExtCodeCopy, 4, 0, GasCost.WarmAccess);
        Define(Opcode.ReturnDataSize, 0, 1, 2);
        Define(Opcode.ReturnDataCopy, 3, 0, 3);
        Define(Opcode.ExtCodeHash, 1, 1, GasCost.WarmAccess);

        Define(Opcode.BlockHash, 1, 1, 20);
        Define(Opcode.Coinbase, 0, 1, 2);
        Define(Opcode.Timestamp, 0, 1, 2);
        Define(Opcode.Number, 0, 1, 2);
        Define(Opcode.PrevRandao, 0, 1, 2);
        Define(Opcode.GasLimit, 0, 1, 2);
        Define(Opcode.ChainId, 0, 1, 2);
        Define(Opcode.SelfBalance, 0, 1, 5);
        Define(Opcode.BaseFee, 0, 1, 2);
        Define(Opcode.BlobHash, 1, 1, 3);
        Define(Opcode.BlobBaseFee, 0, 1, 2);

        Define(Opcode.Pop, 1, 0, 2);
        Define(Opcode.MLoad, 1, 1, 3);
        Define(Opcode.MStore, 2, 0, 3);
        Define(Opcode.MStore8, 2, 0, 3);
        Define(Opcode.SLoad, 1, 1, GasCost.WarmAccess);
        Define(Opcode.SStore, 2, 0, 0);
        Define(Opcode.Jump, 1, 0, 8);
        Define(Opcode.JumpI, 2, 0, 10);
        Define(Opcode.Pc, 0, 1, 2);
        Define(Opcode.MSize, 0, 1, 2);
        Define(Opcode.Gas, 0, 1, 2);
        Define(Opcode.JumpDest, 0, 0, 1);
        Define(Opcode.TLoad, 1, 1, GasCost.WarmAccess);
        Define(Opcode.TStore, 2, 0, GasCost.WarmAccess);
        Define(Opcode.MCopy, 3, 0, 3);
        Define(Opcode.Push0, 0, 1, 2);
        for (int op = Opcode.Push1; op <= Opcode.Push32; op++)
        {
            Define(op, 0, 1, 3);
        }

        for (int n = 1; n <= 16; n++)
        {
            Define(Opcode.Dup1 + n - 1, n, n + 1, 3);
            Define(Opcode.Swap1 + n - 1, n + 1, n + 1, 3);
        }

        for (int n = 0; n <= 4; n++)
        {
            Define(Opcode.Log0 + n, n + 2, 0, GasCost.Log * (n + 1));
        }

        Define(Opcode.Create, 3, 1, GasCost.Create);
        Define(Opcode.Call, 7, 1, GasCost.WarmAccess);
        Define(Opcode.CallCode, 7, 1, GasCost.WarmAccess);
        Define(Opcode.Return, 2, 0, 0);
        Define(Opcode.DelegateCall, 6, 1, GasCost.WarmAccess);
        Define(Opcode.Create2, 4, 1, GasCost.Create);
        Define(Opcode.StaticCall, 6, 1, GasCost.WarmAccess);
        Define(Opcode.Revert, 2, 0, 0);
        Define(Opcode.SelfDestruct, 1, 0, GasCost.SelfDestruct);
    }

    private static void Define(int opcode, int pops, int pushes, int gas)
    {
        IsDefined[opcode] = true;
        BaseGas[opcode] = gas;
        StackRequired[opcode] = pops;
        StackMaximum[opcode] = StackLimit - Math.Max(0, pushes - pops);
    }
}
