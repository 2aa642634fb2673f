global using System.Diagnostics;
global using System.Globalization;
global using Dapper;
global using Npgsql;
global using Platform.Benchmarks.Support;
global using Platform.Testing;
