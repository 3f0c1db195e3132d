// The demo's tools as the core generates them (input schemas from operations/ and the demo schemas), for the window's tests.
// test/integration/demoToolsSnapshot.test.ts proves `generatedDemoTools` still equals the core's tools:list; to refresh it, run
// that test with DUMP=<file> and paste the file here.
import type { ToolView } from '../../../electron/ipc/contract.ts';

export const generatedDemoTools: ToolView[] = [
  {
    "name": "CreateTask",
    "api": "tasks",
    "kind": "operation",
    "title": "Create task",
    "description": "Creates a task in a project. Returns the new task.",
    "readOnly": false,
    "destructive": true,
    "inputSchema": {
      "type": "object",
      "properties": {
        "input": {
          "$ref": "#/$defs/NewTask"
        }
      },
      "required": [
        "input"
      ],
      "additionalProperties": false,
      "$defs": {
        "NewTask": {
          "type": "object",
          "description": "A task to create.",
          "properties": {
            "projectId": {
              "type": [
                "string",
                "integer"
              ]
            },
            "title": {
              "type": "string"
            },
            "priority": {
              "type": [
                "string",
                "null"
              ],
              "enum": [
                "LOW",
                "MEDIUM",
                "HIGH",
                "URGENT",
                null
              ],
              "description": "How urgent a task is.\nLOW: Can wait: pick it up when nothing else is pending.\nMEDIUM: Normal work, planned for the current cycle.\nHIGH: Blocks other work: do it next.\nURGENT: Production is affected: drop everything.",
              "default": "MEDIUM"
            },
            "assigneeId": {
              "type": [
                "string",
                "integer",
                "null"
              ]
            },
            "dueAt": {
              "type": [
                "string",
                "null"
              ],
              "format": "date-time",
              "description": "DateTime scalar: An ISO-8601 date and time with a time zone, for example 2026-11-30T09:00:00Z."
            },
            "tags": {
              "type": [
                "array",
                "null"
              ],
              "items": {
                "type": "string"
              },
              "default": []
            }
          },
          "required": [
            "projectId",
            "title"
          ],
          "additionalProperties": false
        }
      }
    },
    "enabled": true
  },
  {
    "name": "FindUser",
    "api": "tasks",
    "kind": "operation",
    "title": "Find user",
    "description": "Looks up one user by id or by e-mail address (give exactly one).",
    "readOnly": true,
    "destructive": false,
    "inputSchema": {
      "type": "object",
      "properties": {
        "by": {
          "$ref": "#/$defs/UserLookup"
        }
      },
      "required": [
        "by"
      ],
      "additionalProperties": false,
      "$defs": {
        "UserLookup": {
          "type": "object",
          "description": "Find a user by exactly one key.",
          "properties": {
            "id": {
              "type": [
                "string",
                "integer"
              ]
            },
            "email": {
              "type": "string"
            }
          },
          "minProperties": 1,
          "maxProperties": 1,
          "oneOf": [
            {
              "required": [
                "id"
              ]
            },
            {
              "required": [
                "email"
              ]
            }
          ],
          "additionalProperties": false
        }
      }
    },
    "enabled": true
  },
  {
    "name": "GetProject",
    "api": "tasks",
    "kind": "operation",
    "title": "Get project",
    "description": "Query.project: One project by id, or null when there is none.",
    "readOnly": true,
    "destructive": false,
    "inputSchema": {
      "type": "object",
      "properties": {
        "id": {
          "type": [
            "string",
            "integer"
          ]
        }
      },
      "required": [
        "id"
      ],
      "additionalProperties": false
    },
    "enabled": true
  },
  {
    "name": "ListProjects",
    "api": "tasks",
    "kind": "operation",
    "title": "List projects",
    "description": "Lists all projects with their open tasks, so you can see what each team is working on.",
    "readOnly": true,
    "destructive": false,
    "inputSchema": {
      "type": "object",
      "properties": {
        "status": {
          "type": [
            "string",
            "null"
          ],
          "enum": [
            "TODO",
            "IN_PROGRESS",
            "DONE",
            null
          ],
          "description": "Where a task is in its life.\nTODO: Not started yet.\nIN_PROGRESS: Someone is working on it.\nDONE: Finished.",
          "default": "IN_PROGRESS"
        }
      },
      "additionalProperties": false
    },
    "enabled": true
  },
  {
    "name": "SearchTasks",
    "api": "tasks",
    "kind": "operation",
    "title": "Search tasks",
    "description": "Finds tasks with a filter tree (combine conditions with and/or/not), sorted and limited.",
    "readOnly": true,
    "destructive": false,
    "inputSchema": {
      "type": "object",
      "properties": {
        "where": {
          "anyOf": [
            {
              "$ref": "#/$defs/TaskQuery"
            },
            {
              "type": "null"
            }
          ],
          "description": "e.g. { \"filter\": { \"status\": [\"TODO\"] }, \"not\": { \"filter\": { \"priority\": \"LOW\" } } }"
        },
        "orderBy": {
          "type": [
            "string",
            "null"
          ],
          "enum": [
            "DUE_AT",
            "PRIORITY",
            "CREATED_AT",
            null
          ],
          "description": "How to sort a task list.\nDUE_AT: Soonest due date first; tasks without a due date last.\nPRIORITY: Most urgent first.\nCREATED_AT: Newest first.",
          "default": "DUE_AT"
        },
        "first": {
          "type": [
            "integer",
            "null"
          ],
          "minimum": -2147483648,
          "maximum": 2147483647,
          "description": "at most this many tasks",
          "default": 10
        }
      },
      "additionalProperties": false,
      "$defs": {
        "DateRange": {
          "type": "object",
          "description": "A time window; either end may be left open.",
          "properties": {
            "from": {
              "type": [
                "string",
                "null"
              ],
              "format": "date-time",
              "description": "DateTime scalar: An ISO-8601 date and time with a time zone, for example 2026-11-30T09:00:00Z."
            },
            "to": {
              "type": [
                "string",
                "null"
              ],
              "format": "date-time",
              "description": "DateTime scalar: An ISO-8601 date and time with a time zone, for example 2026-11-30T09:00:00Z."
            }
          },
          "additionalProperties": false
        },
        "TaskFilter": {
          "type": "object",
          "description": "Conditions a task must all meet (nested input).",
          "properties": {
            "status": {
              "type": [
                "array",
                "null"
              ],
              "items": {
                "type": "string",
                "enum": [
                  "TODO",
                  "IN_PROGRESS",
                  "DONE"
                ],
                "description": "Where a task is in its life.\nTODO: Not started yet.\nIN_PROGRESS: Someone is working on it.\nDONE: Finished."
              }
            },
            "priority": {
              "type": [
                "string",
                "null"
              ],
              "enum": [
                "LOW",
                "MEDIUM",
                "HIGH",
                "URGENT",
                null
              ],
              "description": "How urgent a task is.\nLOW: Can wait: pick it up when nothing else is pending.\nMEDIUM: Normal work, planned for the current cycle.\nHIGH: Blocks other work: do it next.\nURGENT: Production is affected: drop everything."
            },
            "assigneeId": {
              "type": [
                "string",
                "integer",
                "null"
              ]
            },
            "due": {
              "anyOf": [
                {
                  "$ref": "#/$defs/DateRange"
                },
                {
                  "type": "null"
                }
              ]
            },
            "text": {
              "type": [
                "string",
                "null"
              ],
              "description": "Words that must appear in the title."
            }
          },
          "additionalProperties": false
        },
        "TaskQuery": {
          "type": "object",
          "description": "A boolean tree of task filters (recursive input): all given parts must hold.",
          "properties": {
            "filter": {
              "anyOf": [
                {
                  "$ref": "#/$defs/TaskFilter"
                },
                {
                  "type": "null"
                }
              ]
            },
            "and": {
              "type": [
                "array",
                "null"
              ],
              "items": {
                "$ref": "#/$defs/TaskQuery"
              }
            },
            "or": {
              "type": [
                "array",
                "null"
              ],
              "items": {
                "$ref": "#/$defs/TaskQuery"
              }
            },
            "not": {
              "anyOf": [
                {
                  "$ref": "#/$defs/TaskQuery"
                },
                {
                  "type": "null"
                }
              ]
            }
          },
          "additionalProperties": false
        }
      }
    },
    "enabled": true
  },
  {
    "name": "UpdateTaskStatus",
    "api": "tasks",
    "kind": "operation",
    "title": "Update task status",
    "description": "Moves a task to another status (TODO, IN_PROGRESS or DONE).",
    "readOnly": false,
    "destructive": true,
    "inputSchema": {
      "type": "object",
      "properties": {
        "id": {
          "type": [
            "string",
            "integer"
          ],
          "description": "the task's id, e.g. t3"
        },
        "status": {
          "type": "string",
          "enum": [
            "TODO",
            "IN_PROGRESS",
            "DONE"
          ],
          "description": "Where a task is in its life.\nTODO: Not started yet.\nIN_PROGRESS: Someone is working on it.\nDONE: Finished."
        }
      },
      "required": [
        "id",
        "status"
      ],
      "additionalProperties": false
    },
    "enabled": true
  },
  {
    "name": "introspect",
    "api": "tasks",
    "kind": "introspection",
    "title": "Describe a tasks GraphQL type",
    "description": "Describes a type of the tasks GraphQL API by name (e.g. Query, Mutation or a type from search): fields with arguments and descriptions, as compact SDL. depth 2-3 also describes the types its fields return.",
    "readOnly": true,
    "destructive": false,
    "inputSchema": {
      "type": "object",
      "properties": {
        "type": {
          "type": "string",
          "pattern": "^[_A-Za-z][_0-9A-Za-z]*$",
          "description": "The type name, e.g. Query"
        },
        "depth": {
          "type": "integer",
          "minimum": 1,
          "maximum": 3,
          "default": 1,
          "description": "Also describe the types its fields refer to, this many hops deep"
        }
      },
      "required": [
        "type"
      ],
      "additionalProperties": false
    },
    "enabled": true
  },
  {
    "name": "search",
    "api": "tasks",
    "kind": "introspection",
    "title": "Search the tasks GraphQL schema",
    "description": "Searches the tasks GraphQL schema for types and fields by words (e.g. \"pull request review\"); best matches first, one line each as Type.field(args): Type # description.",
    "readOnly": true,
    "destructive": false,
    "inputSchema": {
      "type": "object",
      "properties": {
        "query": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200,
          "description": "Words to look for in type and field names and descriptions"
        },
        "limit": {
          "type": "integer",
          "minimum": 1,
          "maximum": 50,
          "default": 10
        }
      },
      "required": [
        "query"
      ],
      "additionalProperties": false
    },
    "enabled": true
  },
  {
    "name": "validate",
    "api": "tasks",
    "kind": "introspection",
    "title": "Validate a tasks GraphQL operation",
    "description": "Checks a GraphQL operation text against the tasks schema without running it; answers \"valid\" or line:column errors.",
    "readOnly": true,
    "destructive": false,
    "inputSchema": {
      "type": "object",
      "properties": {
        "operation": {
          "type": "string",
          "minLength": 1,
          "maxLength": 100000,
          "description": "GraphQL operation text"
        }
      },
      "required": [
        "operation"
      ],
      "additionalProperties": false
    },
    "enabled": true
  },
  {
    "name": "directory_ListPeople",
    "api": "directory",
    "kind": "operation",
    "title": "List people",
    "description": "Lists people in the company directory, optionally only one team's.",
    "readOnly": true,
    "destructive": false,
    "inputSchema": {
      "type": "object",
      "properties": {
        "team": {
          "type": [
            "string",
            "null"
          ]
        }
      },
      "additionalProperties": false
    },
    "enabled": true
  },
  {
    "name": "directory_introspect",
    "api": "directory",
    "kind": "introspection",
    "title": "Describe a directory GraphQL type",
    "description": "Describes a type of the directory GraphQL API by name (e.g. Query, Mutation or a type from search): fields with arguments and descriptions, as compact SDL. depth 2-3 also describes the types its fields return.",
    "readOnly": true,
    "destructive": false,
    "inputSchema": {
      "type": "object",
      "properties": {
        "type": {
          "type": "string",
          "pattern": "^[_A-Za-z][_0-9A-Za-z]*$",
          "description": "The type name, e.g. Query"
        },
        "depth": {
          "type": "integer",
          "minimum": 1,
          "maximum": 3,
          "default": 1,
          "description": "Also describe the types its fields refer to, this many hops deep"
        }
      },
      "required": [
        "type"
      ],
      "additionalProperties": false
    },
    "enabled": true
  },
  {
    "name": "directory_search",
    "api": "directory",
    "kind": "introspection",
    "title": "Search the directory GraphQL schema",
    "description": "Searches the directory GraphQL schema for types and fields by words (e.g. \"pull request review\"); best matches first, one line each as Type.field(args): Type # description.",
    "readOnly": true,
    "destructive": false,
    "inputSchema": {
      "type": "object",
      "properties": {
        "query": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200,
          "description": "Words to look for in type and field names and descriptions"
        },
        "limit": {
          "type": "integer",
          "minimum": 1,
          "maximum": 50,
          "default": 10
        }
      },
      "required": [
        "query"
      ],
      "additionalProperties": false
    },
    "enabled": true
  },
  {
    "name": "directory_validate",
    "api": "directory",
    "kind": "introspection",
    "title": "Validate a directory GraphQL operation",
    "description": "Checks a GraphQL operation text against the directory schema without running it; answers \"valid\" or line:column errors.",
    "readOnly": true,
    "destructive": false,
    "inputSchema": {
      "type": "object",
      "properties": {
        "operation": {
          "type": "string",
          "minLength": 1,
          "maxLength": 100000,
          "description": "GraphQL operation text"
        }
      },
      "required": [
        "operation"
      ],
      "additionalProperties": false
    },
    "enabled": true
  }
];

// One tool switched off, as a user may do in the Tools view, so the window's tests and screenshots show both states.
export const demoTools: ToolView[] = generatedDemoTools.map((tool) => (tool.name === 'search' ? { ...tool, enabled: false } : tool));
