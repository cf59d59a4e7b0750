using System.Reflection.Metadata;

namespace PotNet.Analyzers;

/// <summary>Steps through a method body's IL: the opcode at each instruction and the size of its operand (ECMA-335, III).</summary>
internal static class IlOperands
{
    /// <summary>Reads the next opcode, one or two bytes.</summary>
    public static ILOpCode ReadOpCode(ref BlobReader il)
    {
        byte first = il.ReadByte();
        return first == 0xFE ? (ILOpCode)(0xFE00 | il.ReadByte()) : (ILOpCode)first;
    }

    /// <summary>Skips the operand of <paramref name="op"/>.</summary>
    public static void Skip(ref BlobReader il, ILOpCode op)
    {
        if (op == ILOpCode.Switch)
        {
            int targets = il.ReadInt32();
            il.Offset += 4 * targets;
            return;
        }

        il.Offset += Size(op);
    }

    private static int Size(ILOpCode op)
    {
        switch (op)
        {
            case ILOpCode.Ldarg_s: case ILOpCode.Ldarga_s: case ILOpCode.Starg_s: case ILOpCode.Ldloc_s: case ILOpCode.Ldloca_s:
            case ILOpCode.Stloc_s: case ILOpCode.Ldc_i4_s: case ILOpCode.Br_s: case ILOpCode.Brfalse_s: case ILOpCode.Brtrue_s:
            case ILOpCode.Beq_s: case ILOpCode.Bge_s: case ILOpCode.Bgt_s: case ILOpCode.Ble_s: case ILOpCode.Blt_s:
            case ILOpCode.Bne_un_s: case ILOpCode.Bge_un_s: case ILOpCode.Bgt_un_s: case ILOpCode.Ble_un_s: case ILOpCode.Blt_un_s:
            case ILOpCode.Leave_s: case ILOpCode.Unaligned:
                return 1;
            case ILOpCode.Ldarg: case ILOpCode.Ldarga: case ILOpCode.Starg: case ILOpCode.Ldloc: case ILOpCode.Ldloca: case ILOpCode.Stloc:
                return 2;
            case ILOpCode.Ldc_i8: case ILOpCode.Ldc_r8:
                return 8;
            case ILOpCode.Ldc_i4: case ILOpCode.Ldc_r4: case ILOpCode.Br: case ILOpCode.Brfalse: case ILOpCode.Brtrue: case ILOpCode.Beq:
            case ILOpCode.Bge: case ILOpCode.Bgt: case ILOpCode.Ble: case ILOpCode.Blt: case ILOpCode.Bne_un: case ILOpCode.Bge_un:
            case ILOpCode.Bgt_un: case ILOpCode.Ble_un: case ILOpCode.Blt_un: case ILOpCode.Leave: case ILOpCode.Jmp: case ILOpCode.Call:
            case ILOpCode.Calli: case ILOpCode.Callvirt: case ILOpCode.Cpobj: case ILOpCode.Ldobj: case ILOpCode.Ldstr: case ILOpCode.Newobj:
            case ILOpCode.Castclass: case ILOpCode.Isinst: case ILOpCode.Unbox: case ILOpCode.Ldfld: case ILOpCode.Ldflda: case ILOpCode.Stfld:
            case ILOpCode.Ldsfld: case ILOpCode.Ldsflda: case ILOpCode.Stsfld: case ILOpCode.Stobj: case ILOpCode.Box: case ILOpCode.Newarr:
            case ILOpCode.Ldelema: case ILOpCode.Ldelem: case ILOpCode.Stelem: case ILOpCode.Unbox_any: case ILOpCode.Refanyval:
            case ILOpCode.Mkrefany: case ILOpCode.Ldtoken: case ILOpCode.Ldftn: case ILOpCode.Ldvirtftn: case ILOpCode.Initobj:
            case ILOpCode.Constrained: case ILOpCode.Sizeof:
                return 4;
            default:
                return 0;
        }
    }
}
