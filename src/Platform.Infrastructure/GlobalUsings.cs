global using Dapper;
global using Microsoft.Extensions.Logging;
global using Npgsql;
