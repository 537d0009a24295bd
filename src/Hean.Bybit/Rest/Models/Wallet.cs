using System.Text.Json;
using Hean.Bybit.Json;

namespace Hean.Bybit.Rest.Models;

/// <summary>Account totals of a unified account and one row per coin (REST wallet balance, private <c>wallet</c> topic).</summary>
public sealed record BybitWalletAccount(
    string AccountType,
    decimal? TotalEquity,
    decimal? TotalWalletBalance,
    decimal? TotalAvailableBalance,
    decimal? TotalInitialMargin,
    decimal? TotalMaintenanceMargin,
    IReadOnlyList<BybitCoinBalance> Coins)
{
    public BybitCoinBalance? Coin(string coin) => Coins.FirstOrDefault(c => c.Coin == coin);

    public static BybitWalletAccount FromJson(JsonElement e)
    {
        var coins = new List<BybitCoinBalance>();
        foreach (var c in e.Array("coin").EnumerateArray()) coins.Add(BybitCoinBalance.FromJson(c));
        return new BybitWalletAccount(
            e.StrOrEmpty("accountType"),
            e.OptDec("totalEquity"),
            e.OptDec("totalWalletBalance"),
            e.OptDec("totalAvailableBalance"),
            e.OptDec("totalInitialMargin"),
            e.OptDec("totalMaintenanceMargin"),
            coins);
    }
}

public sealed record BybitCoinBalance(
    string Coin,
    decimal? Equity,
    decimal? WalletBalance,
    decimal? AvailableToWithdraw,
    decimal? UnrealisedPnl,
    decimal? CumRealisedPnl,
    decimal? Locked)
{
    public static BybitCoinBalance FromJson(JsonElement e) => new(
        e.Str("coin"),
        e.OptDec("equity"),
        e.OptDec("walletBalance"),
        e.OptDec("availableToWithdraw"),
        e.OptDec("unrealisedPnl"),
        e.OptDec("cumRealisedPnl"),
        e.OptDec("locked"));
}
