import ClusData
