global using Dapper;
global using Npgsql;
global using Platform.Testing;
