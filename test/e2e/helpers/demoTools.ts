// The demo's tools as the core generates them (input schemas from operations/ and the demo schemas), for the window's tests.
import type { ToolView } from '../../../electron/ipc/contract.ts';

export const demoTools: ToolView[] = [
  {
    "name": "CreateTask",
    "api": "tasks",
    "title": "Create task",
    "description": "Creates a task in a project. Returns the new task.",
    "kind": "operation",
    "readOnly": false,
    "destructive": true,
    "enabled": true,
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
    }
  },
  {
    "name": "FindUser",
    "api": "tasks",
    "title": "Find user",
    "description": "Looks up one user by id or by e-mail address (give exactly one).",
    "kind": "operation",
    "readOnly": true,
    "destructive": false,
    "enabled": true,
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
    }
  },
  {
    "name": "GetProject",
    "api": "tasks",
    "title": "Get project",
    "description": "Query.project: One project by id, or null when there is none.",
    "kind": "operation",
    "readOnly": true,
    "destructive": false,
    "enabled": true,
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
    }
  },
  {
    "name": "ListProjects",
    "api": "tasks",
    "title": "List projects",
    "description": "Lists all projects with their open tasks, so you can see what each team is working on.",
    "kind": "operation",
    "readOnly": true,
    "destructive": false,
    "enabled": true,
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
    }
  },
  {
    "name": "SearchTasks",
    "api": "tasks",
    "title": "Search tasks",
    "description": "Finds tasks with a filter tree (combine conditions with and/or/not), sorted and limited.",
    "kind": "operation",
    "readOnly": true,
    "destructive": false,
    "enabled": true,
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
              "description": "DateTime scalar: An ISO-8601 date and time with a time zone, for example 2026-11-30T09:00:00Z."
            },
            "to": {
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
    }
  },
  {
    "name": "UpdateTaskStatus",
    "api": "tasks",
    "title": "Update task status",
    "description": "Moves a task to another status (TODO, IN_PROGRESS or DONE).",
    "kind": "operation",
    "readOnly": false,
    "destructive": true,
    "enabled": true,
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
    }
  },
  {
    "name": "directory_ListPeople",
    "api": "directory",
    "title": "List people",
    "description": "Lists people in the company directory, optionally only one team's.",
    "kind": "operation",
    "readOnly": true,
    "destructive": false,
    "enabled": true,
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
    }
  },
  {
    "name": "introspect",
    "api": "tasks",
    "title": "Introspect tasks schema",
    "description": "Describes a type of the tasks schema by name.",
    "kind": "introspection",
    "readOnly": true,
    "destructive": false,
    "enabled": true,
    "inputSchema": {
      "type": "object",
      "properties": {
        "typeName": {
          "type": "string",
          "description": "A type name, e.g. Task"
        }
      },
      "required": [
        "typeName"
      ],
      "additionalProperties": false
    }
  },
  {
    "name": "search",
    "api": "tasks",
    "title": "Search tasks schema",
    "description": "Finds types and fields of the tasks schema by words.",
    "kind": "introspection",
    "readOnly": true,
    "destructive": false,
    "enabled": false,
    "inputSchema": {
      "type": "object",
      "properties": {
        "terms": {
          "type": "array",
          "items": {
            "type": "string"
          }
        }
      },
      "required": [
        "terms"
      ],
      "additionalProperties": false
    }
  }
];
